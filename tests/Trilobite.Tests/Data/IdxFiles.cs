using System.Buffers.Binary;
using System.IO.Compression;

namespace Trilobite.Tests.Data;

/// <summary>Writes small IDX files for the tests: a header from the given magic and dimensions, then a payload.</summary>
static class IdxFiles
{
    public static byte[] Idx(int magic, int[] dims, byte[] payload)
    {
        var bytes = new byte[4 + 4 * dims.Length + payload.Length];
        BinaryPrimitives.WriteInt32BigEndian(bytes, magic);
        for (int i = 0; i < dims.Length; i++)
            BinaryPrimitives.WriteInt32BigEndian(bytes.AsSpan(4 + 4 * i), dims[i]);
        payload.CopyTo(bytes, 4 + 4 * dims.Length);
        return bytes;
    }

    public static byte[] Images(int n, int rows, int cols, int extra = 0)
    {
        var payload = new byte[Math.Max(0, n * rows * cols + extra)];
        for (int i = 0; i < payload.Length; i++)
            payload[i] = (byte)(i * 37);
        return Idx(0x803, [n, rows, cols], payload);
    }

    public static byte[] Labels(params byte[] labels) => Idx(0x801, [labels.Length], labels);

    public static byte[] Gzip(byte[] data)
    {
        var output = new MemoryStream();
        using (var gz = new GZipStream(output, CompressionLevel.Optimal, leaveOpen: true))
            gz.Write(data);
        return output.ToArray();
    }

    public static string Write(string dir, string name, byte[] bytes)
    {
        string path = Path.Combine(dir, name);
        File.WriteAllBytes(path, bytes);
        return path;
    }
}
