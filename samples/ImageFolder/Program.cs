// Train a classifier on your own pictures: one subfolder per class (cats/, dogs/, …), as Keras's
// image_dataset_from_directory reads them. Without a folder, the sample writes the shipped MNIST digits out as PNGs
// (digits/0 … digits/9) and trains on those. Run:
//   dotnet run --project samples/ImageFolder -c Release [-- FOLDER [EPOCHS]]
using System.Globalization;
using Trilobite;
using Trilobite.Data;
using Trilobite.Layers;
using Trilobite.Vision.Data;
using Trilobite.Vision.Imaging;

string folder = args.Length > 0 ? args[0] : WriteDigits("digits", perClass: 100);
int epochs = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 5;

// Decoded, resized and batched by background workers; 20% of the files (a seeded shuffle) held out for validation.
var images = ImageFolder.Open(folder, new ImageFolderOptions
{
    Height = 32, Width = 32, ColorMode = ColorMode.Grayscale, ValidationSplit = 0.2, Seed = 1, BatchSize = 32,
    Augmentation = ImageAugmentation.Default with { HorizontalFlip = false },   // digits do not mirror
});
Console.WriteLine($"{images.Files.Count} images in classes {string.Join(", ", images.ClassNames)}");

RandomSeed.Set(1);
var model = new Sequential(
    new Conv2D(32, kernelSize: 3, activation: Activation.ReLU, inputShape: [32, 32, 1]),
    new MaxPooling2D(poolSize: 2),
    new Conv2D(64, kernelSize: 3, activation: Activation.ReLU),
    new MaxPooling2D(poolSize: 2),
    new Flatten(),
    new Dropout(0.5),
    new Dense(images.ClassNames.Count, activation: Activation.Softmax)) { ClassNames = images.ClassNames };
model.Compile(Loss.CategoricalCrossentropy, new Adam(), [Metric.Accuracy]);
model.Fit(images.Training, new FitOptions { Epochs = epochs }, images.Validation);
Console.WriteLine($"Validation accuracy: {model.Evaluate(images.Validation!)["accuracy"]:F4}");

// One picture, prepared exactly as the folder's validation images were.
string first = images.Files[0].Path;
float[] p = model.Predict(ImageSample.FromPicture(ImageFile.Load(first), 32, 32, ColorMode.Grayscale)).ToArray();
int best = Array.IndexOf(p, p.Max());
Console.WriteLine($"{first}: {model.ClassNames![best]} ({p[best]:F4})");

// The shipped digits as dark-on-light PNGs, perClass of each, in one subfolder per digit.
static string WriteDigits(string root, int perClass)
{
    var (train, _) = Mnist.LoadSample(scale: false);
    var written = new int[10];
    for (int i = 0; i < train.Count; i++)
    {
        int label = train.Labels[i];
        if (written[label] == perClass) continue;
        string dir = Path.Combine(root, label.ToString(CultureInfo.InvariantCulture));
        Directory.CreateDirectory(dir);
        var pixels = new byte[784];
        for (int k = 0; k < 784; k++) pixels[k] = (byte)(255 - train.Pixels[i * 784 + k]);
        ImageFile.SavePng(new GrayImage(28, 28, pixels), Path.Combine(dir, $"{written[label]++:D4}.png"));
    }
    return root;
}
