// Segmentation with a U-Net (Ronneberger et al. 2015): every pixel of a 128×128 scene of real MNIST digits is labelled
// background or one of the ten digits. The contracting path pools the maps smaller and deeper, the expanding path
// brings them back to full size with transposed convolutions, and skip connections concatenate the two. Run:
//   dotnet run --project samples/Segmentation -c Release [-- SCENES [EPOCHS]]
using System.Globalization;
using Trilobite;
using Trilobite.Plotting;
using Trilobite.Vision.Scenes;
using Trilobite.Zoo;

int count = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 4000;
int epochs = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 3;

// Scenes of 1–5 digits: training scenes from the training digits, test scenes from digits the network never sees.
Dataset Scenes(bool testDigits, int n, int seed)
{
    var generator = DigitSceneGenerator.FromSample(testDigits);
    int size = DigitSceneGenerator.Size;
    var x = new float[n * size * size];
    var y = new float[n * size * size];
    for (int i = 0; i < n; i++)
    {
        var scene = generator.Scene(seed, i);
        for (int p = 0; p < size * size; p++)
        {
            x[i * size * size + p] = scene.Pixels[p] / 255f;
            y[i * size * size + p] = scene.Mask[p];          // 0 = background, 1 + digit where the digit's ink is ≥ 0.5
        }
    }
    return new Dataset(Tensor.FromArray(x, n, size, size, 1), Tensor.FromArray(y, n, size, size));
}
var train = Scenes(testDigits: false, count, seed: 1);
var test = Scenes(testDigits: true, Math.Max(16, count / 20), seed: 2);

RandomSeed.Set(1);
var model = UNet.Build([128, 128, 1], DigitScene.MaskClasses, baseFilters: 16, depth: 4);
model.Summary();
model.Compile(Loss.SparseCategoricalCrossentropy, new Adam(), [new PixelAccuracy(DigitScene.MaskClasses), new MeanIoU(DigitScene.MaskClasses)]);
model.Fit(train.X, train.Y, batchSize: 16, epochs: epochs, validationSplit: 0.05);

var scores = model.Evaluate(test.X, test.Y, batchSize: 16);
Console.WriteLine($"Test mIoU: {scores["mean_io_u"]:F4}, pixel accuracy: {scores["pixel_accuracy"]:F4}");

// The first test scene: the most likely class of each pixel, painted over the scene with a legend.
var probabilities = model.Predict(test.X.Slice(0, 1)).ToArray();
var classes = new int[128 * 128];
for (int p = 0; p < classes.Length; p++)
    for (int c = 1; c < DigitScene.MaskClasses; c++)
        if (probabilities[p * DigitScene.MaskClasses + c] > probabilities[p * DigitScene.MaskClasses + classes[p]]) classes[p] = c;
string[] names = ["background", .. Enumerable.Range(0, 10).Select(d => $"digit {d}")];
SegmentationChart.Save(test.X.Slice(0, 1).ToArray(), classes, 128, 128, names, "overlay.png");
Console.WriteLine("Wrote overlay.png: the first test scene with each pixel's class painted over it.");
