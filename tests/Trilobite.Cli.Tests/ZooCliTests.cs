using Trilobite.Cli.Commands;
using Trilobite.Vision.Imaging;
using static Trilobite.Cli.Tests.CliRunner;

namespace Trilobite.Cli.Tests;

/// <summary>The model zoo from the command line: a summary for every name, and training on a folder of class subfolders.</summary>
public class ZooCliTests
{
    [Theory]
    [InlineData("lenet5", "Total params: 61,706")]
    [InlineData("alexnet", "Total params: 21,883,153")]
    [InlineData("vgg", "Total params: 158,711,889")]
    [InlineData("vgg-notebook", "Non-trainable params: 2,944")]
    [InlineData("vgg16", "Total params: 138,357,544")]
    [InlineData("vgg19", "Total params: 143,667,240")]
    [InlineData("resnet18", "Connected to")]
    [InlineData("resnet34", "conv5_block3_out (Activation)")]
    [InlineData("resnet50", "Total params: 25,636,712")]
    [InlineData("smallresnet", "Total params: 176,090")]
    [InlineData("capsnet", "Total params: 8,215,568")]
    public void SummaryOfEveryZooModel(string name, string expected)
    {
        var (code, output, err) = Run("summary", name);
        Assert.True(code == 0, err);
        Assert.Contains(expected, output);
    }

    [Fact]
    public void TrainsOnAnImageFolderAndPredictPrintsClassNames()
    {
        // Two classes told apart by colour: reddish and bluish 12×10 pictures, plus one text file that is skipped.
        string dir = ColourFolder(Path.Combine(Path.GetTempPath(), $"trilobite-cli-images-{Guid.NewGuid():N}"), perClass: 12, width: 12, height: 10, seed: 1);
        File.WriteAllText(Path.Combine(dir, "red", "notes.txt"), "hello");
        string model = Path.Combine(dir, "colours.trilo");
        try
        {
            var (code, output, err) = Run("train", "smallresnet", "--data", dir, "--image-size", "16", "--color-mode", "rgb",
                "--epochs", "3", "--batch-size", "8", "--validation-split", "0.25", "--augment", "--save", model, "--verbose", "0");
            Assert.True(code == 0, err);
            Assert.Contains("notes.txt: not an image file", err);
            Assert.Contains("24 images in 2 classes (blue, red): 18 for training, 6 for validation, as (None, 16, 16, 3)", output);
            Assert.Contains("Validation accuracy: ", output);

            var summary = Run("summary", model);
            Assert.Contains("(None, 16, 16, 3)", summary.Out);
            var predicted = Run("predict", model, Path.Combine(dir, "red", "0.png"));
            Assert.True(predicted.Code == 0, predicted.Err);
            var lines = predicted.Out.Trim().Split('\n');
            Assert.Equal(2, lines.Length);                                    // top-3 of two classes
            Assert.All(lines, l => Assert.Matches(@"^(red|blue): \d\.\d{4}$", l.Trim()));

            var evaluated = Run("evaluate", model, "--data", dir);
            Assert.True(evaluated.Code == 0, evaluated.Err);
            Assert.Contains("24 images in 2 classes, as (None, 16, 16, 3)", evaluated.Out);
            Assert.Matches(@"accuracy: \d\.\d{4}", evaluated.Out);
            Directory.CreateDirectory(Path.Combine(dir, "green"));
            File.Copy(Path.Combine(dir, "red", "0.png"), Path.Combine(dir, "green", "0.png"));
            var wrongClasses = Run("evaluate", model, "--data", dir);
            Assert.NotEqual(0, wrongClasses.Code);
            Assert.Contains("trained on classes blue, red, but this folder has blue, green, red", wrongClasses.Err);
        }
        finally { Directory.Delete(dir, recursive: true); }
    }

    [Fact]
    public void PredictMakesOnlyDigitClassifiersInputMnistLike()
    {
        // A white picture: as a digit it is blank paper (no ink → zeros); as a Fashion-MNIST or image-folder sample it is white (ones).
        var white = new RgbImage(40, 30, Enumerable.Repeat((byte)255, 40 * 30 * 3).ToArray());
        Assert.All(PredictCommand.ImageInput(white, [28, 28, 1], null).ToArray(), v => Assert.Equal(0f, v));
        Assert.All(PredictCommand.ImageInput(white, [28, 28, 1], Trilobite.Data.Mnist.ClassNames).ToArray(), v => Assert.Equal(0f, v));
        Assert.All(PredictCommand.ImageInput(white, [28, 28, 1], Trilobite.Data.FashionMnist.ClassNames).ToArray(), v => Assert.Equal(1f, v));
        var rgb = PredictCommand.ImageInput(white, [16, 16, 3], ["a", "b"]);
        Assert.Equal([1, 16, 16, 3], rgb.ShapeArray);
        Assert.All(rgb.ToArray(), v => Assert.Equal(1f, v));
    }
}
