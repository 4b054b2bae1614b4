using Trilobite.Vision.Data;
using Trilobite.Vision.Imaging;

namespace Trilobite.Vision.Tests.Data;

/// <summary>A class folder holding one corrupt PNG and one text file: skipped with a warning naming each, or a failure naming it.</summary>
public sealed class BadFileTests : IDisposable
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "trilobite-tests", "bad-files-" + Guid.NewGuid().ToString("N"));

    public BadFileTests()
    {
        foreach (var (cls, value) in new[] { ("cat", (byte)40), ("dog", (byte)200) })
        {
            Directory.CreateDirectory(Path.Combine(_dir, cls));
            for (int i = 0; i < 3; i++)
            {
                var pixels = Enumerable.Repeat(value, 8 * 6 * 3).ToArray();
                pixels[0] = (byte)i;
                ImageFile.SavePng(new RgbImage(8, 6, pixels), Path.Combine(_dir, cls, $"{i}.png"));
            }
        }
        // A corrupt PNG: signature and IHDR intact (so it passes the header check), but the first deflate block of its
        // IDAT (after the 2-byte zlib header at offset 41) has the reserved block type 3, which no decoder accepts.
        byte[] png = File.ReadAllBytes(Path.Combine(_dir, "cat", "0.png"));
        png[43] = 0xFF;
        File.WriteAllBytes(Path.Combine(_dir, "cat", "broken.png"), png);
        File.WriteAllText(Path.Combine(_dir, "dog", "notes.txt"), "not a picture");
        File.WriteAllText(Path.Combine(_dir, "README.md"), "files in the root are ignored");
    }

    public void Dispose()
    {
        try { Directory.Delete(_dir, recursive: true); } catch (IOException) { }
    }

    private ImageFolderOptions Options(TextWriter warnings, BadFilePolicy policy = BadFilePolicy.SkipWithWarning) => new()
    {
        Height = 4, Width = 4, BatchSize = 4, Shuffle = false, OnBadFile = policy, Warnings = warnings,
    };

    [Fact]
    public void SkipsEachBadFileWithOneWarningNamingIt()
    {
        var warnings = new StringWriter();
        var folder = ImageFolder.Open(_dir, Options(warnings));
        Assert.Equal(["cat", "dog"], folder.ClassNames);
        Assert.Contains("notes.txt: not an image file", warnings.ToString());
        Assert.DoesNotContain("broken.png", warnings.ToString());          // its header is fine: found when decoded
        Assert.Equal(7, folder.Training.Count);

        var batches = folder.Training.Batches(0).ToList();
        Assert.Equal(6, batches.Sum(b => b.X.Dim(0)));
        Assert.Equal(3, Count(batches, 0));
        Assert.Equal(3, Count(batches, 1));
        Assert.Contains("broken.png: cannot decode it", warnings.ToString());
        Assert.Equal(2, folder.SkippedFiles.Count);

        string before = warnings.ToString();
        Assert.Equal(6, folder.Training.Batches(1).Sum(b => b.X.Dim(0)));
        Assert.Equal(before, warnings.ToString());                          // reported once, not every epoch
        Assert.All(batches.SelectMany(b => b.X.ToArray()), v => Assert.InRange(v, 0f, 1f));
    }

    private static int Count(List<Trilobite.Training.Batch> batches, int cls) =>
        batches.Sum(b => Enumerable.Range(0, b.Y.Dim(0)).Count(i => b.Y[i, cls] == 1f));

    [Fact]
    public void FailPolicyNamesTheFile()
    {
        var e = Assert.Throws<InvalidDataException>(() => ImageFolder.Open(_dir, Options(TextWriter.Null, BadFilePolicy.Fail)));
        Assert.Contains("notes.txt", e.Message);

        File.Delete(Path.Combine(_dir, "dog", "notes.txt"));
        var folder = ImageFolder.Open(_dir, Options(TextWriter.Null, BadFilePolicy.Fail));
        var decode = Assert.Throws<InvalidDataException>(() => folder.Training.Batches(0).ToList());
        Assert.Contains("broken.png", decode.Message);
    }

    [Fact]
    public void StoppingEarlyReleasesTheWorkers()
    {
        var folder = ImageFolder.Open(_dir, Options(TextWriter.Null) with { BatchSize = 1, PrefetchBatches = 1, Workers = 2 });
        var first = folder.Training.Batches(0).Take(2).ToList();
        Assert.Equal(2, first.Count);
        Assert.Equal([1, 4, 4, 3], first[0].X.ShapeArray);
    }

    [Fact]
    public void MissingOrEmptyFoldersAreExplained()
    {
        Assert.Throws<DirectoryNotFoundException>(() => ImageFolder.Open(Path.Combine(_dir, "nope")));
        var empty = Path.Combine(_dir, "cat");
        var e = Assert.Throws<InvalidDataException>(() => ImageFolder.Open(empty));
        Assert.Contains("no class subfolders", e.Message);
    }
}
