using Trilobite.Cli;
using Trilobite.Data;
using Trilobite.Vision.Imaging;
using static Trilobite.Cli.Tests.CliRunner;

namespace Trilobite.Cli.Tests;

/// <summary>The trilobite command run in-process: output, errors as one line on stderr, exit codes.</summary>
public class CliTests
{
    [Fact]
    public void SummaryLeNetPrintsTheLectureTable()
    {
        var (code, output, _) = Run("summary", "lenet");
        Assert.Equal(0, code);
        Assert.Contains("max_pooling2d_1 (MaxPooling2D) (None, 12, 12, 64)      0", output);
        Assert.Contains("Total params: 1,199,882", output);
    }

    [Fact]
    public void UnknownModelIsAnError()
    {
        var (code, _, err) = Run("summary", "nosuchnet");
        Assert.NotEqual(0, code);
        Assert.StartsWith("error: Unknown model 'nosuchnet'", err);
    }

    [Fact]
    public void MissingDataFolderNamesIt()
    {
        var (code, _, err) = Run("train", "lenet", "--data", "/no/such/folder", "--epochs", "1");
        Assert.NotEqual(0, code);
        Assert.Contains("/no/such/folder", err);
        Assert.Single(err.Trim().Split('\n'));
    }

    [Fact]
    public void TruncatedIdxFileNamesIt()
    {
        string dir = TempDir();
        foreach (var name in new[] { "train-images-idx3-ubyte.gz", "train-labels-idx1-ubyte.gz", "t10k-images-idx3-ubyte.gz", "t10k-labels-idx1-ubyte.gz" })
        {
            using var stream = typeof(Mnist).Assembly.GetManifestResourceStream($"Trilobite.Data.mnist-sample.{name}")!;
            using var file = File.Create(Path.Combine(dir, name));
            stream.CopyTo(file);
        }
        string images = Path.Combine(dir, "train-images-idx3-ubyte.gz");
        var bytes = File.ReadAllBytes(images);
        File.WriteAllBytes(images, bytes[..(bytes.Length / 3)]);
        var (code, _, err) = Run("train", "lenet", "--data", dir, "--epochs", "1");
        Assert.NotEqual(0, code);
        Assert.Contains("train-images-idx3-ubyte.gz", err);
        Assert.Single(err.Trim().Split('\n'));
        Directory.Delete(dir, true);
    }

    [Fact]
    public void CorruptModelFileNamesIt()
    {
        string dir = TempDir();
        string path = Path.Combine(dir, "broken.trilo");
        File.WriteAllBytes(path, [0x50, 0x4b, 3, 4, 1, 2, 3]);
        var (code, _, err) = Run("evaluate", path);
        Assert.NotEqual(0, code);
        Assert.Contains(path, err);
        Assert.Single(err.Trim().Split('\n'));
        Directory.Delete(dir, true);
    }

    [Fact]
    public void TrainSaveResumeEvaluatePredict()
    {
        string dir = TempDir();
        string dataDir = SmallMnistFolder(dir, 600, 200);
        string model = Path.Combine(dir, "lenet.trilo");
        var first = Run("train", "lenet", "--data", dataDir, "--epochs", "1", "--batch-size", "64", "--save", model, "--verbose", "2");
        Assert.Equal(0, first.Code);
        Assert.Matches(@"Test accuracy: 0\.\d{4}", first.Out);
        var resumed = Run("train", "lenet", "--data", dataDir, "--epochs", "2", "--resume", model, "--verbose", "2");
        Assert.Equal(0, resumed.Code);
        Assert.Contains("Resuming", resumed.Out);
        Assert.Contains("Epoch 2/2", resumed.Out);
        Assert.DoesNotContain("Epoch 1/2", resumed.Out);
        var evaluated = Run("evaluate", model, "--data", dataDir);
        Assert.Equal(0, evaluated.Code);
        Assert.Contains("accuracy: ", evaluated.Out);

        // A test digit written as a PNG, dark ink on white like a scan; predict prints three "name: p" lines.
        var (_, test) = Mnist.LoadSample();
        var pixels = new byte[28 * 28];
        for (int i = 0; i < pixels.Length; i++) pixels[i] = (byte)(255 - test.Pixels[i] * 255);
        string png = Path.Combine(dir, "digit.png");
        ImageFile.SavePng(new GrayImage(28, 28, pixels), png);
        var predicted = Run("predict", model, png);
        Assert.Equal(0, predicted.Code);
        var lines = predicted.Out.Trim().Split('\n');
        Assert.Equal(3, lines.Length);
        Assert.All(lines, l => Assert.Matches(@"^\d: \d\.\d{4}$", l.Trim()));
        Directory.Delete(dir, true);
    }

    [Fact]
    public void SameSeedPrintsTheSameFinalLoss()
    {
        string dir = TempDir();
        string dataDir = SmallMnistFolder(dir, 256, 64);
        string Loss() => Run("train", "lenet", "--data", dataDir, "--epochs", "1", "--seed", "7", "--verbose", "0")
            .Out.Split('\n').Single(l => l.StartsWith("Final training loss:", StringComparison.Ordinal));
        Assert.Equal(Loss(), Loss());
        Directory.Delete(dir, true);
    }

    [Fact]
    public void CosineScheduleAndAugmentationRunAndBadValuesAreRefused()
    {
        string dir = TempDir();
        string dataDir = SmallMnistFolder(dir, 256, 64);
        string Loss(string schedule) => Run("train", "lenet", "--data", dataDir, "--epochs", "2", "--seed", "7", "--verbose", "0", "--lr-schedule", schedule)
            .Out.Split('\n').Single(l => l.StartsWith("Final training loss:", StringComparison.Ordinal));
        Assert.NotEqual(Loss("constant"), Loss("cosine"));   // epoch 2 runs at half the rate under cosine
        var augmented = Run("train", "lenet", "--data", dataDir, "--epochs", "1", "--seed", "7", "--verbose", "0", "--augment");
        Assert.True(augmented.Code == 0, augmented.Err);
        Assert.Contains("Test accuracy: ", augmented.Out);
        var flipsOnly = Run("train", "lenet", "--data", dataDir, "--epochs", "1", "--seed", "7", "--verbose", "0", "--augment", "--max-shift", "0");
        Assert.True(flipsOnly.Code == 0, flipsOnly.Err);
        var (code, _, err) = Run("train", "lenet", "--data", dataDir, "--epochs", "1", "--lr-schedule", "linear");
        Assert.NotEqual(0, code);
        Assert.Contains("linear", err);
        (code, _, err) = Run("train", "lenet", "--data", dataDir, "--epochs", "1", "--augment", "--max-shift", "-1");
        Assert.NotEqual(0, code);
        Assert.Contains("--max-shift must be a whole number from 0 to 8, got -1.", err);
        Directory.Delete(dir, true);
    }

    [Fact]
    public void LeNetTrainsWithItsRecipeUnlessTheCommandLineSaysOtherwise()
    {
        string dir = TempDir();
        string dataDir = SmallMnistFolder(dir, 64, 16);
        string Recipe(params string[] extra) => Run(["train", "lenet", "--data", dataDir, "--epochs", "1", "--verbose", "0", .. extra])
            .Out.Split('\n').Single(l => l.StartsWith("Training lenet:", StringComparison.Ordinal)).Trim();
        Assert.Equal("Training lenet: 1 epochs of batch 32, Adam at 0.001 with cosine decay, random shifts of up to 2 px.", Recipe());
        Assert.Equal("Training lenet: 1 epochs of batch 32, Adam at 0.001.", Recipe("--lr-schedule", "constant", "--augment", "false"));
        Assert.Equal("Training smallresnet: 1 epochs of batch 32, Adam at 0.001.", Run("train", "smallresnet", "--data", dataDir, "--epochs", "1", "--verbose", "0")
            .Out.Split('\n').Single(l => l.StartsWith("Training smallresnet:", StringComparison.Ordinal)).Trim());
        Directory.Delete(dir, true);
    }

    [Fact]
    public void TheReferenceDeviceTrainsEvaluatesAndPredictsLikeTheCpu()
    {
        string dir = TempDir();
        string dataDir = SmallMnistFolder(dir, 16, 8);
        double FinalLoss(string output) => double.Parse(output.Split('\n').Single(l => l.StartsWith("Final training loss:", StringComparison.Ordinal))[20..],
            System.Globalization.CultureInfo.InvariantCulture);
        string cpuModel = Path.Combine(dir, "cpu.trilo"), referenceModel = Path.Combine(dir, "reference.trilo");
        var cpu = Run("train", "lenet", "--data", dataDir, "--epochs", "1", "--batch-size", "8", "--seed", "3", "--verbose", "0", "--save", cpuModel);
        var reference = Run("train", "lenet", "--data", dataDir, "--epochs", "1", "--batch-size", "8", "--seed", "3", "--verbose", "0", "--device", "reference", "--save", referenceModel);
        Assert.True(reference.Code == 0, reference.Err);
        Assert.Contains("device reference", reference.Out);
        Assert.Contains("device cpu", cpu.Out);
        // Within 1e-3: Adam's first steps move every weight by about ±lr whatever its gradient's size, so the float
        // rounding of the Cpu's Winograd convolutions (F(4×4)'s: ~1e-5 of the values) shows in the loss at 1e-4.
        Assert.Equal(FinalLoss(cpu.Out), FinalLoss(reference.Out), 1e-3);
        Assert.Equal(Device.Cpu, Device.Default);   // the option lasts for its command only

        var evaluated = Run("evaluate", cpuModel, "--data", dataDir, "--device", "reference");
        Assert.True(evaluated.Code == 0, evaluated.Err);
        Assert.Equal(Run("evaluate", cpuModel, "--data", dataDir).Out.Split('\n')[1], evaluated.Out.Split('\n')[1]);   // the accuracy line

        var (_, test) = Mnist.LoadSample();
        var pixels = new byte[28 * 28];
        for (int i = 0; i < pixels.Length; i++) pixels[i] = (byte)(255 - test.Pixels[i] * 255);
        string png = Path.Combine(dir, "digit.png");
        ImageFile.SavePng(new GrayImage(28, 28, pixels), png);
        Assert.Equal(Run("predict", referenceModel, png).Out, Run("predict", referenceModel, png, "--device", "reference").Out);

        var unknown = Run("train", "lenet", "--data", dataDir, "--epochs", "1", "--device", "gpu");
        Assert.NotEqual(0, unknown.Code);
        Assert.Equal("error: --device: Unknown device 'gpu'. Known: cpu, reference. (see 'trilobite train --help')", unknown.Err.Trim());
        Directory.Delete(dir, true);
    }
}
