// Transfer learning as the lecture does it: take a network pretrained on ImageNet (ResNet-18, from the NuGet package
// Microsoft.ML.DnnImageFeaturizer.ResNet18), keep its convolutional base, replace its classifier by Dense(10, softmax),
// and train on a small new task — 100 images per class — first with the base frozen, then with its top block unfrozen.
// For comparison, the same network from scratch (the same layers, fresh random weights) learns from the same images. Run:
//   dotnet run --project samples/TransferLearning -c Release [-- DATA_DIR [PER_CLASS [TEST_IMAGES [EPOCHS]]]]
// DATA_DIR holds MNIST-format IDX files (Fashion-MNIST: ../shared/data/fashion-mnist); default: the MNIST sample.
using System.Diagnostics;
using System.Globalization;
using Trilobite;
using Trilobite.Data;
using Trilobite.Onnx.Pretrained;

var (trainImages, testImages) = args.Length > 0 && args[0] != "-" ? FashionMnist.Load(args[0]) : Mnist.LoadSample();
int perClass = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 100;
int testCount = Math.Min(args.Length > 2 ? int.Parse(args[2], CultureInfo.InvariantCulture) : testImages.Count, testImages.Count);
int epochs = args.Length > 3 ? int.Parse(args[3], CultureInfo.InvariantCulture) : 10;

// The first PER_CLASS training images of each class, made what ImageNet networks see: 224×224 RGB.
int[] picked = [.. Enumerable.Range(0, 10).SelectMany(c => Enumerable.Range(0, trainImages.Count).Where(i => trainImages.Labels[i] == c).Take(perClass))];
var train = trainImages.Select(picked).ToDataset();
var x = AsImageNetInput(train.X);
Console.WriteLine($"{picked.Length} training images ({perClass} per class) as {ShapeText.WithBatch(x.ShapeArray[1..])}; {testCount} test images.");

// 1. The pretrained base, frozen, and a new head: only the head's 5,130 weights learn.
RandomSeed.Set(1);
var pretrained = ResNet18Features.Load();                     // (224, 224, 3) RGB 0-255 → 512 features
var model = TransferLearning.WithNewHead(pretrained, classes: 10, inputScale: 255);
model.Compile(Loss.CategoricalCrossentropy, new Adam(1e-3), [Metric.Accuracy]);
model.Summary();
Report("pretrained base, frozen", Train(model, epochs));

// 2. Fine-tuning: the base's last residual block learns too, slowly.
TransferLearning.Unfreeze(pretrained, "Convolution381");
model.Compile(Loss.CategoricalCrossentropy, new Adam(1e-4), [Metric.Accuracy]);
Report("top block fine-tuned", Train(model, Math.Max(1, epochs / 2)));

// 3. The same network from scratch: the same layers with fresh random weights, all of them trained.
var scratchBase = ResNet18Features.Load();
scratchBase.Reinitialize(seed: 2);
var scratch = TransferLearning.WithNewHead(scratchBase, classes: 10, inputScale: 255, freezeBase: false);
scratch.Compile(Loss.CategoricalCrossentropy, new Adam(1e-3), [Metric.Accuracy]);
Report("same network from scratch", Train(scratch, epochs));

double Train(Model net, int epochCount)
{
    var clock = Stopwatch.StartNew();
    net.Fit(x, train.Y, batchSize: 32, epochs: epochCount, verbose: 2);
    Console.WriteLine($"  trained in {clock.Elapsed.TotalSeconds:F0} s");
    return TestAccuracy(net);
}

// Test accuracy over the test images, converted a few hundred at a time (10,000 of them at 224×224×3 would be 6 GB).
double TestAccuracy(Model net)
{
    var clock = Stopwatch.StartNew();
    long correct = 0;
    for (int start = 0; start < testCount; start += 250)
    {
        var part = testImages.Slice(start, Math.Min(250, testCount - start)).ToDataset();
        var predicted = net.Predict(AsImageNetInput(part.X), batchSize: 50).ArgMax(-1).ToArray();
        var truth = part.Y.ArgMax(-1).ToArray();
        correct += predicted.Zip(truth).Count(p => p.First == p.Second);
    }
    Console.WriteLine($"  {testCount} test images in {clock.Elapsed.TotalSeconds:F0} s");
    return (double)correct / testCount;
}

static void Report(string what, double accuracy) => Console.WriteLine($"Test accuracy, {what}: {accuracy:F4}");

// 28×28 grey in [0, 1] → 224×224 RGB in [0, 1]: bilinear ×8, the grey copied into red, green and blue.
static Tensor AsImageNetInput(Tensor grey)
{
    var big = grey.UpSample2DBilinear(8, 8);
    return Tensor.Concat([big, big, big]);
}
