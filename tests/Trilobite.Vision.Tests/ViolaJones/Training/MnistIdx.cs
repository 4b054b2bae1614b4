using System.Buffers.Binary;
using System.IO.Compression;
using Trilobite.Vision.Imaging;

namespace Trilobite.Vision.Tests.ViolaJones.Training;

/// <summary>A tiny private reader for gzip IDX files (images: magic 0x803, N, 28, 28; labels: magic 0x801, N).</summary>
internal static class MnistIdx
{
    public static (GrayImage[] Images, byte[] Labels) Load(string dir, string prefix)
    {
        var images = Read(Path.Combine(dir, $"{prefix}-images-idx3-ubyte.gz"), 0x803, out var dims);
        var labels = Read(Path.Combine(dir, $"{prefix}-labels-idx1-ubyte.gz"), 0x801, out _);
        int n = dims[0], h = dims[1], w = dims[2];
        var result = new GrayImage[n];
        for (int i = 0; i < n; i++)
            result[i] = new GrayImage(w, h, images.AsSpan(i * w * h, w * h).ToArray());
        return (result, labels);
    }

    private static byte[] Read(string path, int magic, out int[] dims)
    {
        using var gz = new GZipStream(File.OpenRead(path), CompressionMode.Decompress);
        using var ms = new MemoryStream();
        gz.CopyTo(ms);
        var bytes = ms.ToArray();
        int m = BinaryPrimitives.ReadInt32BigEndian(bytes);
        if (m != magic) throw new InvalidDataException($"{path}: magic 0x{m:X} is not 0x{magic:X}.");
        int rank = magic & 0xFF;
        dims = new int[rank];
        for (int d = 0; d < rank; d++) dims[d] = BinaryPrimitives.ReadInt32BigEndian(bytes.AsSpan(4 + 4 * d));
        return bytes[(4 + 4 * rank)..];
    }
}
