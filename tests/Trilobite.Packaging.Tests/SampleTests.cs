using System.Globalization;
using System.Text.RegularExpressions;

namespace Trilobite.Packaging.Tests;

/// <summary>Every program under samples/ is built with the tests and run briefly here, so none of them rots.</summary>
public sealed partial class SampleTests
{
    private static (int Code, string Out, string Err) RunSample(string name, string workingDirectory, params string[] args) =>
        Processes.Run("dotnet", [Path.Combine(AppContext.BaseDirectory, name + ".dll"), .. args], workingDirectory, TimeSpan.FromMinutes(5));

    private static double Accuracy(string output, string label) =>
        double.Parse(Regex.Match(output, label + @": (\d\.\d{4})").Groups[1].Value, CultureInfo.InvariantCulture);

    private static void CopyFolder(string from, string to)
    {
        Directory.CreateDirectory(to);
        foreach (string f in Directory.GetFiles(from)) File.Copy(f, Path.Combine(to, Path.GetFileName(f)));
    }

    [Fact]
    public void TheMnistCnnTrainsSavesReloadsAndPredicts()
    {
        string dir = Processes.TempDir("sample");
        try
        {
            var (code, output, err) = RunSample("MnistCnn", dir, "1");
            Assert.True(code == 0, err);
            Assert.Contains("Total params: 1,199,882", output);
            Assert.True(Accuracy(output, "Test accuracy") > 0.85, output);
            Assert.True(File.Exists(Path.Combine(dir, "mnist-cnn.trilo")));
            Assert.Matches(@"First test digit: \d with probability \d\.\d{4} \(label \d\)", output);
            Assert.True(File.ReadAllLines(Path.Combine(Processes.RepositoryRoot(), "samples/MnistCnn/Program.cs")).Length < 80, "the MNIST sample stays under 80 lines");
        }
        finally { Directory.Delete(dir, recursive: true); }
    }

    [Fact]
    public void TheResidualNetworkLearnsTheDigits()
    {
        string dir = Processes.TempDir("sample");
        try
        {
            var (code, output, err) = RunSample("ResidualNetwork", dir, "1");
            Assert.True(code == 0, err);
            Assert.Contains("Total params: 78,378", output);
            Assert.Contains("add", output);
            Assert.True(Accuracy(output, "Test accuracy") > 0.8, output);
        }
        finally { Directory.Delete(dir, recursive: true); }
    }

    [Fact]
    public void TheImageFolderSampleTrainsOnPicturesItWroteAndOnAFolderItIsGiven()
    {
        string dir = Processes.TempDir("sample");
        try
        {
            var (code, output, err) = RunSample("ImageFolder", dir);
            Assert.True(code == 0, err);
            Assert.Contains("1000 images in classes 0, 1, 2, 3, 4, 5, 6, 7, 8, 9", output);
            Assert.Equal(100, Directory.GetFiles(Path.Combine(dir, "digits", "7")).Length);
            Assert.True(Accuracy(output, "Validation accuracy") > 0.6, output);
            Assert.Matches(@"digits/0/0000\.png: \d \(\d\.\d{4}\)", output);

            // A folder of the user's: three of the classes, one epoch.
            string mine = Path.Combine(dir, "mine");
            foreach (string c in new[] { "1", "4", "8" }) CopyFolder(Path.Combine(dir, "digits", c), Path.Combine(mine, "digit-" + c));
            (code, output, err) = RunSample("ImageFolder", dir, mine, "1");
            Assert.True(code == 0, err);
            Assert.Contains("300 images in classes digit-1, digit-4, digit-8", output);
            Assert.Contains("Epoch 1/1", output);
        }
        finally { Directory.Delete(dir, recursive: true); }
    }

    [Fact]
    public void TheSegmentationSampleTrainsAUNetAndWritesAMaskOverlay()
    {
        string dir = Processes.TempDir("sample");
        try
        {
            var (code, output, err) = RunSample("Segmentation", dir, "48", "1");
            Assert.True(code == 0, err);
            Assert.Contains("Total params: 1,945,403", output);
            Assert.Matches(@"Test mIoU: 0\.\d{4}, pixel accuracy: 0\.\d{4}", output);
            // Three steps teach nothing measurable (BatchNormalization's moving statistics have barely moved); the sample's
            // default run is measured in samples/README.md. Here: it trains, evaluates on the test scenes and draws.
            Assert.Contains("Epoch 1/1", output);
            Assert.True(new FileInfo(Path.Combine(dir, "overlay.png")).Length > 5_000);
        }
        finally { Directory.Delete(dir, recursive: true); }
    }

    [Fact]
    public void TheCapsNetSampleTrainsACapsuleNetworkAndDrawsItsReconstructions()
    {
        string dir = Processes.TempDir("sample");
        try
        {
            var (code, output, err) = RunSample("CapsNet", dir, "64", "1");
            Assert.True(code == 0, err);
            Assert.Contains("Total params: 8,215,568", output);
            // Two steps teach nothing measurable; the sample's default run is measured in samples/README.md.
            Assert.Matches(@"Test accuracy: 0\.\d{4}", output);
            Assert.True(new FileInfo(Path.Combine(dir, "capsules.png")).Length > 5_000);
        }
        finally { Directory.Delete(dir, recursive: true); }
    }

    [Fact]
    public void TheDetectionSampleTrainsADetectorAndDrawsItsBoxes()
    {
        string dir = Processes.TempDir("sample");
        try
        {
            var (code, output, err) = RunSample("Detection", dir, "48", "1");
            Assert.True(code == 0, err);
            Assert.Equal(48, Directory.GetFiles(Path.Combine(dir, "train-scenes", "images")).Length);
            // Three steps teach nothing measurable; the sample's default run is measured in samples/README.md.
            Assert.Matches(@"Test mAP@0\.5: \d\.\d{4}, COCO mAP: \d\.\d{4}", output);
            Assert.Contains("classification_loss", output);
            Assert.True(new FileInfo(Path.Combine(dir, "boxes.png")).Length > 5_000);
        }
        finally { Directory.Delete(dir, recursive: true); }
    }

    [Fact]
    public void TheTransferLearningSampleTrainsANewHeadOnThePretrainedResNet18()
    {
        string dir = Processes.TempDir("sample");
        try
        {
            var (code, output, err) = RunSample("TransferLearning", dir, "-", "2", "40", "1");
            Assert.True(code == 0, err);
            Assert.Contains("20 training images (2 per class) as (None, 224, 224, 3); 40 test images.", output);
            Assert.Contains("Trainable params: 5,130", output);
            // One step of 20 images teaches nothing measurable; the sample's full run is in docs/PERFORMANCE.md.
            foreach (string run in new[] { "pretrained base, frozen", "top block fine-tuned", "same network from scratch" })
                Assert.Matches($"Test accuracy, {run}: \\d\\.\\d{{4}}", output);
        }
        finally { Directory.Delete(dir, recursive: true); }
    }
}
