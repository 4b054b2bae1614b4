using Trilobite.Data;
using Trilobite.Plotting;
using Trilobite.Vision.Imaging;
using static Trilobite.Cli.Tests.CliRunner;

namespace Trilobite.Cli.Tests;

/// <summary>
/// The commands that draw (plot, evaluate --confusion, show filters / activations) and predict on many pictures, on a
/// model trained here on real digits. What each picture shows is checked pixel by pixel in Trilobite.Plotting.Tests;
/// here: the command writes a PNG with the chart's colours in it, and says so in one line.
/// </summary>
public sealed class PictureCommandTests : IDisposable
{
    private readonly string _dir = TempDir(), _data, _model, _history;

    public PictureCommandTests()
    {
        _data = SmallMnistFolder(_dir, 600, 200);
        _model = Path.Combine(_dir, "lenet.trilo");
        _history = Path.Combine(_dir, "history.csv");
        var run = Run("train", "lenet", "--data", _data, "--epochs", "2", "--validation-split", "0.2", "--save", _model, "--history", _history, "--verbose", "0");
        Assert.True(run.Code == 0, run.Err);
    }

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private static int Count(RgbImage image, Func<int, int, int, bool> colour)
    {
        int n = 0;
        for (int i = 0; i < image.Pixels.Length; i += 3) if (colour(image.Pixels[i], image.Pixels[i + 1], image.Pixels[i + 2])) n++;
        return n;
    }

    [Fact]
    public void PlotDrawsTheHistoryTrainingBlueAndValidationOrange()
    {
        string png = Path.Combine(_dir, "curves.png");
        var run = Run("plot", _history, "--out", png);
        Assert.Equal((0, ""), (run.Code, run.Err));
        Assert.Equal($"Wrote {png}: loss, accuracy over 2 epoch(s).", run.Out.Trim());
        var image = ImageFile.Load(png);
        Assert.True(Count(image, (r, g, b) => r < 60 && g is > 90 and < 150 && b > 150) > 100, "no blue training line");
        Assert.True(Count(image, (r, g, b) => r > 220 && g is > 100 and < 160 && b < 60) > 100, "no orange validation line");
    }

    [Fact]
    public void EvaluateDrawsTheConfusionMatrixOfTheTestDigits()
    {
        string png = Path.Combine(_dir, "confusion.png");
        var run = Run("evaluate", _model, "--data", _data, "--confusion", png);
        Assert.Equal(0, run.Code);
        Assert.Contains($"Wrote {png}: the confusion matrix of 200 samples.", run.Out);
        Assert.Matches(@"loss: \d+\.\d{4}", run.Out);
        var image = ImageFile.Load(png);
        Assert.True(Count(image, (r, g, b) => r < 40 && b > 80 && b > r + 40) > 2000, "no dark diagonal cells");
    }

    [Fact]
    public void ShowDrawsFiltersInRedAndBlueAndActivationsInGrey()
    {
        string filters = Path.Combine(_dir, "filters.png"), activations = Path.Combine(_dir, "activations.png"), digit = DigitPng("digit.png", 0);
        var f = Run("show", "filters", _model, "--out", filters);
        Assert.Equal(0, f.Code);
        Assert.Equal($"Wrote {filters}: the 32 filters of conv2d_1.", f.Out.Trim());
        var image = ImageFile.Load(filters);
        Assert.True(Count(image, (r, g, b) => r > b + 60) > 1000 && Count(image, (r, g, b) => b > r + 60) > 1000, "filters need both signs");

        var a = Run("show", "activations", _model, digit, "--layer", "conv2d_2", "--out", activations);
        Assert.Equal(0, a.Code);
        Assert.Equal($"Wrote {activations}: the activation maps of conv2d_2.", a.Out.Trim());
        var maps = ImageFile.Load(activations);
        Assert.True(Count(maps, (r, g, b) => r == g && g == b && r > 200) > 500 && Count(maps, (r, g, b) => r == g && g == b && r < 30) > 5000);

        var wrong = Run("show", "filters", _model, "--layer", "dense_1", "--out", filters);
        Assert.Equal(ExitCodes.Failure, wrong.Code);
        Assert.Equal("error: Layer 'dense_1' is a Dense, not a Conv2D; filters are shown for conv2d_1, conv2d_2.", wrong.Err.Trim());
        var jpeg = Run("plot", _history, "--out", Path.Combine(_dir, "curves.jpg"));
        Assert.Contains("pictures are written as PNG; name the file *.png.", jpeg.Err);
    }

    [Fact]
    public void PredictTakesManyFilesAndFoldersWithTopKAndWarnsOnBlankPictures()
    {
        string folder = Path.Combine(_dir, "digits");
        Directory.CreateDirectory(folder);
        for (int i = 0; i < 3; i++) DigitPng(Path.Combine("digits", $"d{i}.png"), i);
        ImageFile.SavePng(new GrayImage(28, 28, Enumerable.Repeat((byte)255, 784).ToArray()), Path.Combine(folder, "z-blank.png"));
        string single = DigitPng("one.png", 5);

        var many = Run("predict", _model, single, folder);
        Assert.Equal(0, many.Code);
        var lines = many.Out.Trim().Split('\n').Select(l => l.Trim()).ToArray();
        Assert.Equal(5, lines.Length);
        Assert.StartsWith(single + ": ", lines[0]);
        Assert.StartsWith(Path.Combine(folder, "d0.png") + ": ", lines[1]);
        Assert.All(lines, l => Assert.Matches(@": \d \(\d\.\d{4}\), \d \(\d\.\d{4}\), \d \(\d\.\d{4}\)$", l));
        Assert.Equal($"warning: {Path.Combine(folder, "z-blank.png")} is blank (every pixel the same colour); the prediction says nothing about a picture.", many.Err.Trim());

        var top5 = Run("predict", _model, single, "--top-k", "5");
        Assert.Equal(5, top5.Out.Trim().Split('\n').Length);
        var all = Run("predict", _model, single, "--top-k", "50");
        Assert.Equal(10, all.Out.Trim().Split('\n').Length);   // at most the model's classes

        // A file that cannot be read is reported; the others are still predicted; the exit code says something failed.
        string broken = Path.Combine(_dir, "broken.png");
        File.WriteAllBytes(broken, [0x89, 0x50, 0x4E, 0x47]);
        var mixed = Run("predict", _model, broken, single);
        Assert.Equal(ExitCodes.Failure, mixed.Code);
        Assert.StartsWith($"error: {broken}", mixed.Err);
        Assert.StartsWith(single + ": ", mixed.Out);
        var empty = Path.Combine(_dir, "empty");
        Directory.CreateDirectory(empty);
        Assert.Contains("no pictures in this folder", Run("predict", _model, empty).Err);
    }

    [Fact]
    public void ScenesWritesTheBenchmarkInCocoFormatAndRefusesToOverwriteOne()
    {
        string scenes = Path.Combine(_dir, "scenes");
        var run = Run("scenes", "--out", scenes, "--count", "30", "--seed", "2", "--digits", "test");
        Assert.Equal(0, run.Code);
        Assert.StartsWith($"Wrote 30 scenes of the test digits (seed 2) to {scenes}", run.Out);
        Assert.Contains("30/30 scenes", run.Err);
        Assert.Equal(30, Directory.GetFiles(Path.Combine(scenes, "images")).Length);
        Assert.Equal(30, Directory.GetFiles(Path.Combine(scenes, "masks")).Length);
        var again = Run("scenes", "--out", scenes, "--count", "30");
        Assert.Equal(ExitCodes.Usage, again.Code);
        Assert.Contains("already holds a scene set (instances.json); choose an empty folder.", again.Err);
    }

    [Fact]
    public void TrainUnetLearnsFromScenesAndEvaluatePrintsMeanIoU()
    {
        string scenes = Path.Combine(_dir, "scenes-train"), test = Path.Combine(_dir, "scenes-test"), model = Path.Combine(_dir, "unet.trilo");
        Assert.Equal(0, Run("scenes", "--out", scenes, "--count", "40", "--seed", "1").Code);
        Assert.Equal(0, Run("scenes", "--out", test, "--count", "10", "--seed", "2", "--digits", "test").Code);
        var run = Run("train", "unet", "--data", scenes, "--epochs", "1", "--batch-size", "8", "--validation-split", "0.25", "--save", model, "--verbose", "0");
        Assert.True(run.Code == 0, run.Err);
        Assert.Contains("Training unet: 1 epochs of batch 8, Adam at 0.001; 30 scenes, validating on the last 10.", run.Out);
        Assert.Matches(@"Validation mIoU: 0\.\d{4}", run.Out);
        var evaluated = Run("evaluate", model, "--data", test);
        Assert.True(evaluated.Code == 0, evaluated.Err);
        Assert.Matches(@"^mIoU: 0\.\d{4}\r?\npixel accuracy: 0\.\d{4}\r?\nIoU: background 0\.\d{4}, digits ", evaluated.Out);
        Assert.Contains("train unet needs --data SCENES", Run("train", "unet").Err);
        Assert.Contains("unet-paper is the paper's 572×572 network", Run("train", "unet-paper", "--data", scenes).Err);
        Assert.Contains("needs --data SCENES for a segmentation model", Run("evaluate", model).Err);
        Assert.Contains("Total params: 1,945,403", Run("summary", "unet").Out);

        // segment: the coloured mask at the picture's size, the overlay with its legend, one line per class found.
        string scene = Directory.GetFiles(Path.Combine(test, "images")).Order(StringComparer.Ordinal).First();
        string mask = Path.Combine(_dir, "mask.png");
        var segmented = Run("segment", model, scene, "--out", mask);
        Assert.True(segmented.Code == 0, segmented.Err);
        Assert.StartsWith($"Wrote {mask} (128×128) and {Path.Combine(_dir, "mask.overlay.png")}.", segmented.Out);
        Assert.Matches(@"background: \d+\.\d\d % of the pixels", segmented.Out);
        var colours = ImageFile.Load(mask);
        Assert.Equal((128, 128), (colours.Width, colours.Height));
        Assert.All(Enumerable.Range(0, 128 * 128), p => Assert.Contains(
            (colours.Pixels[3 * p], colours.Pixels[3 * p + 1], colours.Pixels[3 * p + 2]), Enumerable.Range(0, 11).Select(SegmentationChart.ColorOf)));
        Assert.True(new FileInfo(Path.Combine(_dir, "mask.overlay.png")).Length > 5_000);
        Assert.Contains("is not a segmentation model", Run("segment", _model, scene, "--out", mask).Err);
        Assert.Contains("--class-weight has 2 numbers; expected 11", Run("train", "unet", "--data", scenes, "--class-weight", "1,2").Err);
        Assert.Contains("--class-weight entry 2 is 'x'", Run("train", "unet", "--data", scenes, "--class-weight", "1,x").Err);
        Assert.Contains("--class-weight is for 'train unet'", Run("train", "lenet", "--class-weight", "1").Err);
    }

    [Fact]
    public void TrainRetinanetLearnsFromScenesAndEvaluateAndDetectUseIt()
    {
        string scenes = Path.Combine(_dir, "det-train"), test = Path.Combine(_dir, "det-test"), model = Path.Combine(_dir, "retinanet.trilo");
        Assert.Equal(0, Run("scenes", "--out", scenes, "--count", "40", "--seed", "1").Code);
        Assert.Equal(0, Run("scenes", "--out", test, "--count", "8", "--seed", "2", "--digits", "test").Code);
        var run = Run("train", "retinanet", "--data", scenes, "--epochs", "1", "--batch-size", "8", "--validation-split", "0.2", "--save", model, "--verbose", "2");
        Assert.True(run.Code == 0, run.Err);
        Assert.Contains("Training retinanet: 1 epochs of batch 8, Adam at 0.001 with cosine decay; 32 images, validating on the last 8; 3024 anchors per image.", run.Out);
        Assert.Matches(@"classification_loss: \d\.\d{4} - box_loss: \d\.\d{4}", run.Out);
        Assert.Matches(@"Validation mAP@0\.5: \d\.\d{4}", run.Out);

        var evaluated = Run("evaluate", model, "--data", test);
        Assert.True(evaluated.Code == 0, evaluated.Err);
        Assert.Matches(@"^mAP@0\.5: \d\.\d{4}\r?\nCOCO mAP: \d\.\d{4}\r?\n", evaluated.Out);
        Assert.Contains("needs --data DIR for a detector", Run("evaluate", model).Err);

        string scene = Directory.GetFiles(Path.Combine(test, "images")).Order(StringComparer.Ordinal).First();
        string boxed = Path.Combine(_dir, "boxed.png");
        var detected = Run("detect", model, scene, "--out", boxed, "--min-score", "0");
        Assert.True(detected.Code == 0, detected.Err);
        // One epoch on 32 scenes may leave every score under the decoder's 0.05: then it says so instead of printing boxes.
        if (detected.Out.StartsWith("Wrote", StringComparison.Ordinal)) Assert.Contains("No object found: no box scored 0 or more (the detector keeps only scores above 0.05)", detected.Err);
        else Assert.Matches(@"^\d \d\.\d{3} \d+\.\d \d+\.\d \d+\.\d \d+\.\d\r?\n", detected.Out);     // class score x1 y1 x2 y2
        Assert.Contains($"Wrote {boxed}.", detected.Out);
        Assert.True(new FileInfo(boxed).Length > 5_000);
        Assert.Contains("is not a detector", Run("detect", _model, scene).Err);
        Assert.Contains("Total params:", Run("summary", "retinanet").Out);
        Assert.Contains("class_tower1 (Conv2D)", Run("summary", model).Out);       // a saved detector loads like any model
        Assert.Contains("train retinanet needs --data DIR", Run("train", "retinanet").Err);

        // The YOLO-style detector trains on the same folder and is evaluated the same way.
        string yolo = Path.Combine(_dir, "yolo.trilo");
        var grid = Run("train", "yolo", "--data", scenes, "--epochs", "1", "--batch-size", "8", "--validation-split", "0.2", "--save", yolo, "--verbose", "2");
        Assert.True(grid.Code == 0, grid.Err);
        Assert.Contains("32 images, validating on the last 8; a grid of 8×8 cells, 2 boxes each.", grid.Out);
        Assert.Matches(@"yolo_box_loss: \d+\.\d{4} - yolo_confidence_loss: \d+\.\d{4} - yolo_class_loss: \d+\.\d{4}", grid.Out);
        Assert.Matches(@"^mAP@0\.5: \d\.\d{4}\r?\nCOCO mAP: \d\.\d{4}\r?\n", Run("evaluate", yolo, "--data", test).Out);
        Assert.Contains("is a yolo detector, not retinanet", Run("train", "retinanet", "--data", scenes, "--resume", yolo, "--epochs", "2").Err);
    }

    [Fact]
    public void FacesSaysWhenItFindsNoFace()
    {
        string blank = Path.Combine(_dir, "wall.png");
        ImageFile.SavePng(new GrayImage(120, 90, Enumerable.Repeat((byte)128, 120 * 90).ToArray()), blank);
        var run = Run("faces", blank);
        Assert.Equal((0, ""), (run.Code, run.Out));
        Assert.Equal($"No face found in {blank} (120×90); smaller or turned faces may need --min-neighbors 1 or --scale-factor 1.05.", run.Err.Trim());
    }

    /// <summary>Test digit <paramref name="index"/> as a scan would give it: dark ink on white.</summary>
    private string DigitPng(string name, int index)
    {
        var (_, test) = Mnist.LoadSample();
        var pixels = new byte[784];
        for (int i = 0; i < 784; i++) pixels[i] = (byte)(255 - test.Pixels[index * 784 + i] * 255);
        string path = Path.Combine(_dir, name);
        ImageFile.SavePng(new GrayImage(28, 28, pixels), path);
        return path;
    }
}
