using Trilobite.Cli.Commands;
using Trilobite.Vision.Imaging;
using static Trilobite.Cli.Tests.CliRunner;

namespace Trilobite.Cli.Tests;

/// <summary>
/// Bad command lines: one line on stderr naming the option and what it accepts, the same exit code for the same kind of
/// problem everywhere (2 for the command line, 1 for a file or the work), and no .NET wording.
/// </summary>
public class CliInputTests
{
    private static void OneLine(string err)
    {
        Assert.Single(err.Trim().Split('\n'));
        Assert.StartsWith("error: ", err);
        foreach (var dotnet in new[] { "System.", "(Parameter", "Exception", "   at ", "Central Directory" })
            Assert.DoesNotContain(dotnet, err);
    }

    [Theory]
    [InlineData("--epochs must be a whole number from 1 to 100000, got 0.", "train", "lenet", "--epochs", "0")]
    [InlineData("--epochs needs a whole number, got 'abc'.", "train", "lenet", "--epochs", "abc")]
    [InlineData("--batch-size must be a whole number from 1 to 65536, got 0.", "train", "lenet", "--batch-size", "0")]
    [InlineData("--batch-size must be a whole number from 1 to 65536, got 100000.", "train", "lenet", "--batch-size", "100000")]
    [InlineData("--threads must be a whole number from 1 to", "train", "lenet", "--threads", "1000")]
    [InlineData("--learning-rate must be a number more than 0 and at most 10, got -1.", "train", "lenet", "--learning-rate", "-1")]
    [InlineData("--learning-rate must be a number more than 0 and at most 10, got NaN.", "train", "lenet", "--learning-rate", "NaN")]
    [InlineData("--verbose must be a whole number from 0 to 2, got 3.", "train", "lenet", "--verbose", "3")]
    [InlineData("--validation-split must be a number at least 0 and less than 1, got 1.", "train", "lenet", "--validation-split", "1")]
    [InlineData("--image-size must be a whole number from 8 to 4096, got 2.", "train", "lenet", "--image-size", "2")]
    [InlineData("--color-mode: Argument 'cmyk' not recognized. Must be one of: 'rgb', 'grayscale'", "train", "lenet", "--color-mode", "cmyk")]
    [InlineData("Unknown device 'gpu'. Known: cpu, reference.", "evaluate", "m.trilo", "--device", "gpu")]
    [InlineData("Unrecognized command or argument '--bogus'.", "train", "lenet", "--bogus")]
    [InlineData("Unrecognized command or argument 'trian'.", "trian", "lenet")]
    [InlineData("Required argument missing for command: 'predict'.", "predict", "m.trilo")]
    [InlineData("--optimizer: Argument 'adagrad' not recognized. Must be one of: 'sgd', 'adam', 'rmsprop'", "train", "lenet", "--optimizer", "adagrad")]
    [InlineData("--learning-rate must be a number more than 0 and at most 10, got 0.", "train", "lenet", "--lr", "0")]
    [InlineData("--momentum must be a number at least 0 and less than 1, got 1.", "train", "lenet", "--optimizer", "sgd", "--momentum", "1")]
    [InlineData("--early-stopping must be a whole number from 1 to 100000, got 0.", "train", "lenet", "--early-stopping", "0")]
    [InlineData("--top-k must be a whole number from 1 to 100000, got 0.", "predict", "m.trilo", "x.png", "--top-k", "0")]
    [InlineData("Option '--out' is required.", "plot", "history.csv")]
    [InlineData("Option '--out' is required.", "scenes", "--count", "5")]
    [InlineData("--digits: Argument 'all' not recognized. Must be one of: 'train', 'test'", "scenes", "--out", "x", "--digits", "all")]
    [InlineData("--count must be a whole number from 1 to 1000000, got 0.", "scenes", "--out", "x", "--count", "0")]
    [InlineData("Option '--out' is required.", "show", "filters", "m.trilo")]
    [InlineData("Required argument missing for command: 'activations'.", "show", "activations", "m.trilo", "--out", "a.png")]
    [InlineData("--scale-factor must be a number more than 1 and at most 10, got 1.", "faces", "x.png", "--scale-factor", "1")]
    [InlineData("--min-neighbors must be a whole number from 0 to 1000, got -1.", "faces", "x.png", "--min-neighbors", "-1")]
    [InlineData("--port must be a whole number from 0 to 65535, got 70000.", "playground", "--port", "70000")]
    [InlineData("--epochs must be a whole number from 1 to 50, got 0.", "playground", "--epochs", "0")]
    public void BadOptionsAreOneUsageLine(string expected, params string[] args)
    {
        var (code, output, err) = Run(args);
        Assert.Equal(ExitCodes.Usage, code);
        OneLine(err);
        Assert.Contains(expected, err);
        Assert.Contains("--help')", err);
        Assert.DoesNotContain("Saved", output);
    }

    [Fact]
    public void UnknownModelsAndOversizedBatchesAreUsageErrors()
    {
        string dir = TempDir();
        try
        {
            string data = SmallMnistFolder(dir, 64, 16);
            var unknown = Run("train", "lenett", "--data", data);
            Assert.Equal(ExitCodes.Usage, unknown.Code);
            Assert.Contains("Unknown model 'lenett'. Known models: lenet,", unknown.Err);
            var batch = Run("train", "lenet", "--data", data, "--batch-size", "65");
            Assert.Equal(ExitCodes.Usage, batch.Code);
            OneLine(batch.Err);
            Assert.Contains("--batch-size 65 is more than the 64 training images; use at most 64.", batch.Err);
        }
        finally { Directory.Delete(dir, true); }
    }

    [Fact]
    public void ABatchThatWouldExhaustMemoryIsRefusedWithTheLargestThatFits()
    {
        var vgg = ModelCatalog.Build("vgg16");
        var e = Assert.Throws<UsageException>(() => TrainingMemory.Check(vgg, "vgg16", 60_000));
        Assert.Matches(@"^--batch-size 60000 needs about [\d.]+ GB for vgg16's training step, more than half of the [\d.]+ GB this machine has; use --batch-size \d+ or less\.$", e.Message);
        TrainingMemory.Check(vgg, "vgg16", 1);
        // LeNet at batch 6,000 peaks at 8.7 GB (/usr/bin/time); the estimate errs high, not low.
        Assert.InRange(TrainingMemory.PerSampleBytes(ModelCatalog.Build("lenet")) * 6000 / 1e9, 8.7, 12);
    }

    [Fact]
    public void MissingAndBrokenFilesAreFailuresNamingTheFile()
    {
        string dir = TempDir();
        try
        {
            string missing = Path.Combine(dir, "missing.trilo"), png = Path.Combine(dir, "x.png"), broken = Path.Combine(dir, "broken.trilo");
            ImageFile.SavePng(new GrayImage(28, 28), png);
            File.WriteAllBytes(broken, [0x50, 0x4b, 3, 4, 1, 2, 3]);
            string empty = Path.Combine(dir, "empty"), halfIdx = Path.Combine(dir, "half");
            Directory.CreateDirectory(empty);
            Directory.CreateDirectory(halfIdx);
            File.WriteAllBytes(Path.Combine(halfIdx, "train-images-idx3-ubyte.gz"), [1]);
            foreach (var (args, file) in new[]
            {
                (new[] { "evaluate", missing }, missing),
                (new[] { "predict", missing, png }, missing),
                (new[] { "summary", broken }, broken),
                (new[] { "evaluate", broken }, broken),
                (new[] { "train", "lenet", "--resume", missing }, missing),
                (new[] { "faces", Path.Combine(dir, "none.png") }, Path.Combine(dir, "none.png")),
                (new[] { "train", "lenet", "--data", Path.Combine(dir, "nodata") }, Path.Combine(dir, "nodata")),
                (new[] { "train", "lenet", "--data", empty }, empty),
                (new[] { "train", "lenet", "--data", halfIdx }, halfIdx),
            })
            {
                var (code, _, err) = Run(args);
                Assert.True(code == ExitCodes.Failure, $"{string.Join(' ', args)} exited {code}: {err}");
                OneLine(err);
                Assert.Contains(file, err);
            }
            Assert.Contains("not a Trilobite model file (not a zip archive, or truncated", Run("evaluate", broken).Err);
            Assert.Contains("the data folder is empty (expected the four MNIST-format IDX files, or one subfolder of images per class)", Run("train", "lenet", "--data", empty).Err);
            Assert.Contains("lacks train-labels-idx1-ubyte.gz, t10k-images-idx3-ubyte.gz, t10k-labels-idx1-ubyte.gz (of the four IDX files", Run("train", "lenet", "--data", halfIdx).Err);
        }
        finally { Directory.Delete(dir, true); }
    }

    [Fact]
    public void ResumeRefusesAnotherNetworkAndAFinishedRun()
    {
        string dir = TempDir();
        try
        {
            string data = SmallMnistFolder(dir, 64, 16), model = Path.Combine(dir, "lenet.trilo");
            Assert.Equal(0, Run("train", "lenet", "--data", data, "--epochs", "1", "--save", model, "--verbose", "0").Code);
            Assert.True(File.Exists(model));

            var other = Run("train", "smallresnet", "--data", data, "--epochs", "2", "--resume", model, "--verbose", "0");
            Assert.Equal(ExitCodes.Usage, other.Code);
            OneLine(other.Err);
            Assert.Contains($"--resume {model} holds a different network than 'smallresnet'", other.Err);

            var done = Run("train", "lenet", "--data", data, "--epochs", "1", "--resume", model, "--verbose", "0");
            Assert.Equal(ExitCodes.Usage, done.Code);
            Assert.Contains("has already completed 1 epoch(s), and --epochs 1 is the total: nothing left to train (raise --epochs).", done.Err);

            var more = Run("train", "lenet", "--data", data, "--epochs", "2", "--resume", model, "--verbose", "0");
            Assert.True(more.Code == 0, more.Err);
            Assert.Contains($"Saved: {model}", more.Out);
        }
        finally { Directory.Delete(dir, true); }
    }

    [Fact]
    public void ImageFoldersWithOneClassAreRefusedAndEmptyClassesWarned()
    {
        string dir = TempDir();
        try
        {
            string images = Path.Combine(dir, "images");
            Directory.CreateDirectory(Path.Combine(images, "cat"));
            for (int i = 0; i < 4; i++) ImageFile.SavePng(new RgbImage(8, 8, new byte[8 * 8 * 3]), Path.Combine(images, "cat", $"{i}.png"));
            var one = Run("train", "lenet", "--data", images, "--epochs", "1", "--batch-size", "2", "--verbose", "0");
            Assert.Equal(ExitCodes.Failure, one.Code);
            OneLine(one.Err);
            Assert.Contains("one class folder ('cat'); a classifier needs at least two", one.Err);

            Directory.CreateDirectory(Path.Combine(images, "dog"));
            Directory.CreateDirectory(Path.Combine(images, "eel"));
            for (int i = 0; i < 4; i++) ImageFile.SavePng(new RgbImage(8, 8, new byte[8 * 8 * 3]), Path.Combine(images, "dog", $"{i}.png"));
            var empty = Run("train", "lenet", "--data", images, "--epochs", "1", "--batch-size", "2", "--verbose", "0");
            Assert.True(empty.Code == 0, empty.Err);
            Assert.Contains("eel holds no images: class 'eel' will never be seen.", empty.Err);
        }
        finally { Directory.Delete(dir, true); }
    }
}
