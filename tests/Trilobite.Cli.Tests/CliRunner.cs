using System.IO.Compression;
using Trilobite.Data;

namespace Trilobite.Cli.Tests;

/// <summary>The trilobite command run in-process, and the small data folders the tests train on.</summary>
internal static class CliRunner
{
    public static (int Code, string Out, string Err) Run(params string[] args)
    {
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        int code = CliApp.Run(args, stdout, stderr);
        return (code, stdout.ToString(), stderr.ToString());
    }

    public static string TempDir()
    {
        string dir = Path.Combine(Path.GetTempPath(), $"trilobite-cli-{Guid.NewGuid():N}");
        Directory.CreateDirectory(dir);
        return dir;
    }

    /// <summary>A folder of two classes told apart by colour: <paramref name="perClass"/> reddish and bluish pictures of width × height, in "red" and "blue".</summary>
    public static string ColourFolder(string dir, int perClass, int width, int height, int seed)
    {
        var random = new Random(seed);
        foreach (var (cls, red) in new[] { ("blue", false), ("red", true) })
        {
            Directory.CreateDirectory(Path.Combine(dir, cls));
            for (int i = 0; i < perClass; i++)
            {
                var pixels = new byte[width * height * 3];
                for (int p = 0; p < pixels.Length; p += 3)
                {
                    int strong = 150 + random.Next(100), weak = random.Next(80);
                    (pixels[p], pixels[p + 1], pixels[p + 2]) = red ? ((byte)strong, (byte)weak, (byte)weak) : ((byte)weak, (byte)weak, (byte)strong);
                }
                Vision.Imaging.ImageFile.SavePng(new Vision.Imaging.RgbImage(width, height, pixels), Path.Combine(dir, cls, $"{i}.png"));
            }
        }
        return dir;
    }

    /// <summary>A folder with the first images of the shipped sample written as the four IDX files.</summary>
    public static string SmallMnistFolder(string root, int trainCount, int testCount)
    {
        string dir = Path.Combine(root, "mnist-small");
        Directory.CreateDirectory(dir);
        var (train, test) = Mnist.LoadSample(scale: false);
        WriteIdx(dir, "train", train, trainCount);
        WriteIdx(dir, "t10k", test, testCount);
        return dir;
    }

    private static void WriteIdx(string dir, string prefix, LabeledImages data, int count)
    {
        using (var images = new GZipStream(File.Create(Path.Combine(dir, $"{prefix}-images-idx3-ubyte.gz")), CompressionLevel.Fastest))
        {
            images.Write(BigEndian(0x803, count, 28, 28));
            for (int i = 0; i < count * 784; i++) images.WriteByte((byte)data.Pixels[i]);
        }
        using var labels = new GZipStream(File.Create(Path.Combine(dir, $"{prefix}-labels-idx1-ubyte.gz")), CompressionLevel.Fastest);
        labels.Write(BigEndian(0x801, count));
        for (int i = 0; i < count; i++) labels.WriteByte((byte)data.Labels[i]);
    }

    private static byte[] BigEndian(params int[] values) =>
        values.SelectMany(v => new[] { (byte)(v >> 24), (byte)(v >> 16), (byte)(v >> 8), (byte)v }).ToArray();
}
