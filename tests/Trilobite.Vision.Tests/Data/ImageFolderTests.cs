using Trilobite.Data;
using Trilobite.Vision.Data;
using Trilobite.Vision.Imaging;
using Trilobite.Zoo;

namespace Trilobite.Vision.Tests.Data;

/// <summary>
/// The image-folder pipeline on real pictures: Fashion-MNIST test images written as PNG files in class folders, read
/// back in batches by the background workers, checked pixel for pixel and label for label, and trained on.
/// </summary>
public sealed class ImageFolderTests : IDisposable
{
    private const int Images = 300;
    private readonly List<string> _temp = [];

    public void Dispose()
    {
        foreach (var dir in _temp) try { Directory.Delete(dir, recursive: true); } catch (IOException) { }
    }

    private string NewTemp()
    {
        string dir = Path.Combine(Path.GetTempPath(), "trilobite-tests", "image-folder-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(dir);
        _temp.Add(dir);
        return dir;
    }

    /// <summary>"T-shirt/top" cannot name a folder.</summary>
    private static string FolderName(string className) => className.Replace('/', '-');

    /// <summary>Writes the first <see cref="Images"/> Fashion-MNIST test images as grey PNGs: CLASS/00042.png.</summary>
    private (string Dir, LabeledImages Test) WriteFashionFolder()
    {
        var (_, test) = FashionMnist.Load(SharedData.Path("fashion-mnist"));
        string dir = NewTemp();
        for (int i = 0; i < Images; i++)
        {
            string classDir = Path.Combine(dir, FolderName(test.ClassNames[test.Labels[i]]));
            Directory.CreateDirectory(classDir);
            var pixels = test.Image(i).ToArray().Select(p => (byte)Math.Round(p * 255)).ToArray();
            ImageFile.SavePng(new GrayImage(28, 28, pixels), Path.Combine(classDir, $"{i:D5}.png"));
        }
        return (dir, test);
    }

    private static int IndexOf(ImageEntry e) => int.Parse(Path.GetFileNameWithoutExtension(e.Path));

    [SharedDataFact]
    public void BatchesHoldTheRightPixelsAndLabelsAndTrain()
    {
        var (dir, test) = WriteFashionFolder();
        var folder = ImageFolder.Open(dir, new ImageFolderOptions
        {
            Height = 28, Width = 28, ColorMode = ColorMode.Grayscale, BatchSize = 32, ValidationSplit = 0.2, Seed = 3, Workers = 2,
        });
        var expectedClasses = test.ClassNames.Select(FolderName).Order(StringComparer.Ordinal).ToList();
        Assert.Equal(expectedClasses, folder.ClassNames);
        Assert.Equal(Images, folder.Files.Count);
        Assert.Equal(240, folder.Training.Count);
        Assert.Equal(60, folder.Validation!.Count);
        Assert.Empty(folder.Training.Files.Select(f => f.Path).Intersect(folder.Validation.Files.Select(f => f.Path)));

        // Epoch 1 of the training part: every file exactly once, in the seeded order, with its pixels and label.
        var order = folder.Training.Order(1);
        int seen = 0;
        foreach (var (x, y) in folder.Training.Batches(1))
        {
            Assert.Equal([x.Dim(0), 28, 28, 1], x.ShapeArray);
            Assert.Equal([x.Dim(0), 10], y.ShapeArray);
            for (int i = 0; i < x.Dim(0); i++, seen++)
            {
                int original = IndexOf(folder.Training.Files[order[seen]]);
                Assert.Equal(test.Image(original).ToArray(), x.ToArray().AsSpan(i * 784, 784).ToArray());
                int label = Enumerable.Range(0, 10).Single(c => y[i, c] == 1f);
                Assert.Equal(FolderName(test.ClassNames[test.Labels[original]]), folder.ClassNames[label]);
            }
        }
        Assert.Equal(240, seen);
        Assert.NotEqual(folder.Training.Order(1), folder.Training.Order(2));

        // Train a few steps from the folder, validating on the held-out part.
        RandomSeed.Set(1);
        var model = LeNetKeras.Build([28, 28, 1], classes: 10);
        model.Compile(Loss.CategoricalCrossentropy, new Adam(), [Metric.Accuracy]);
        var history = model.Fit(folder.Training, new FitOptions { Epochs = 2, Verbose = 0 }, folder.Validation);
        Assert.True(history["loss"][1] < history["loss"][0], $"loss {history["loss"][0]} → {history["loss"][1]}");
        Assert.True(history["val_accuracy"][1] > 0.3, $"val_accuracy {history["val_accuracy"][1]}");
    }

    [SharedDataFact]
    public void FlipAugmentationMirrorsExactlyAndRepeatsPerSeed()
    {
        var (dir, test) = WriteFashionFolder();
        var options = new ImageFolderOptions
        {
            Height = 28, Width = 28, ColorMode = ColorMode.Grayscale, BatchSize = 50, Seed = 5,
            Augmentation = new ImageAugmentation { HorizontalFlip = true },
        };
        var folder = ImageFolder.Open(dir, options);
        var order = folder.Training.Order(0);
        int flipped = 0, kept = 0, seen = 0;
        foreach (var (x, _) in folder.Training.Batches(0))
            for (int i = 0; i < x.Dim(0); i++, seen++)
            {
                var got = x.ToArray().AsSpan(i * 784, 784).ToArray();
                var original = test.Image(IndexOf(folder.Training.Files[order[seen]])).ToArray();
                var mirror = Enumerable.Range(0, 784).Select(k => original[k / 28 * 28 + 27 - k % 28]).ToArray();
                if (got.SequenceEqual(original)) kept++;
                else { Assert.Equal(mirror, got); flipped++; }
            }
        Assert.InRange(flipped, 100, 200);
        Assert.Equal(Images, flipped + kept);

        // The full augmentation: same seed and epoch → same batches; values stay in [0, 1].
        var full = ImageFolder.Open(dir, options with { Augmentation = ImageAugmentation.Default, Workers = 2, BatchSize = 64 });
        var a = full.Training.Batches(2).Select(b => b.X.ToArray()).ToList();
        var b = full.Training.Batches(2).Select(b => b.X.ToArray()).ToList();
        Assert.Equal(a, b);
        Assert.All(a.SelectMany(v => v), v => Assert.InRange(v, 0f, 1f));
        Assert.NotEqual(a[0], full.Training.Batches(3).First().X.ToArray());
    }
}
