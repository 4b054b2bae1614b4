using Trilobite.Zoo;

namespace Trilobite.Cli.Commands;

/// <summary>
/// The models the CLI can build by name. Each builder takes the input shape (height, width, channels) and the class
/// count of the data it will train on; null means the model's published default (what <c>summary NAME</c> shows).
/// </summary>
internal static class ModelCatalog
{
    private delegate Model Builder(int[]? inputShape, int? classes);

    /// <summary>
    /// How <c>train NAME</c> trains on IDX data when the command line does not say: the learning-rate schedule and whether
    /// to augment (random shifts of up to --max-shift pixels; flips unless the classes are digits).
    /// </summary>
    public sealed record Recipe(string Schedule, bool Augment)
    {
        public static readonly Recipe Plain = new("constant", false);
    }

    private static readonly Dictionary<string, Recipe> s_recipes = new(StringComparer.OrdinalIgnoreCase)
    {
        // Chosen on a validation split of the training sample (7,495 / 1,000 digits, seeds 1-5; docs/PERFORMANCE.md):
        // mean validation accuracy 0.9828 plain, 0.9834 cosine, 0.9868 shifts, 0.9898 both.
        ["lenet"] = new("cosine", true),
        // The detector: Adam with cosine decay over its 10 epochs (docs/PERFORMANCE.md, "Detection").
        ["retinanet"] = new("cosine", false),
        ["yolo"] = new("cosine", false),
        // CapsNet: the paper's shifts of up to 2 px, Adam decayed by 0.9 each epoch as the official Keras code does.
        ["capsnet"] = new("exponential", true),
    };

    /// <summary>The loss a classifier is compiled with: the margin loss on a capsule network's lengths, otherwise categorical cross-entropy.</summary>
    public static Loss LossFor(Model net) => net is CapsNet ? Loss.Margin : Loss.CategoricalCrossentropy;

    /// <summary>The named model's training recipe for IDX data (<see cref="Recipe.Plain"/> unless one was chosen for it).</summary>
    public static Recipe RecipeFor(string name) => s_recipes.GetValueOrDefault(name, Recipe.Plain);

    private static readonly Dictionary<string, (string Description, Builder Build)> s_models = new(StringComparer.OrdinalIgnoreCase)
    {
        ["lenet"] = ("the lecture's LeNet-inspired MNIST CNN (28×28×1, 10 classes)", (s, c) => LeNetKeras.Build(s, c ?? 10)),
        ["lenet5"] = ("LeNet-5 (LeCun et al. 1998: 32×32×1, tanh, average pooling; 28×28 input is padded by 2)", (s, c) => LeNet5.Build(s, c ?? 10)),
        ["alexnet"] = ("the lecture's AlexNet-inspired network (224×224×3, 17 classes)", (s, c) => AlexNetInspired.Build(c ?? 17, s)),
        ["vgg"] = ("the lecture's VGGNet-inspired network, as its slide (four blocks; 224×224×3, 17 classes)", (s, c) => VggInspired.Build(c ?? 17, s)),
        ["vgg-notebook"] = ("the book notebook's VGGNet-inspired network (five blocks; 224×224×3, 17 classes)", (s, c) => VggInspired.BuildNotebook(c ?? 17, s)),
        ["vgg16"] = ("VGG16 as keras.applications (224×224×3, 1000 classes)", (s, c) => Vgg16.Build(true, s, c ?? 1000)),
        ["vgg19"] = ("VGG19 as keras.applications (224×224×3, 1000 classes)", (s, c) => Vgg19.Build(true, s, c ?? 1000)),
        ["resnet18"] = ("ResNet-18, basic blocks (224×224×3, 1000 classes)", (s, c) => ResNet.Build(18, true, s, c ?? 1000)),
        ["resnet34"] = ("ResNet-34, basic blocks (224×224×3, 1000 classes)", (s, c) => ResNet.Build(34, true, s, c ?? 1000)),
        ["resnet50"] = ("ResNet-50 as keras.applications (224×224×3, 1000 classes)", (s, c) => ResNet.Build(50, true, s, c ?? 1000)),
        ["capsnet"] = ("CapsNet, Sabour et al. 2017: primary capsules, 10 digit capsules of 16 with routing by agreement, reconstruction decoder (28×28×1, 10 classes; 8,215,568 parameters)",
            (s, c) => CapsNet.Mnist(s, c ?? 10)),
        ["smallresnet"] = ("a ResNet-14 for small images (28×28×1, 10 classes; 16/32/64 filters)", (s, c) => SmallResNet.Build(s, c ?? 10)),
        ["unet"] = ("U-Net, 'same' + BatchNormalization, 16 base filters, depth 4 (128×128×1 scenes, 11 mask classes; train on 'trilobite scenes')", (s, c) => UNet.Build(s ?? [128, 128, 1], c ?? 11, baseFilters: 16, depth: 4)),
        ["unet-paper"] = ("U-Net as Ronneberger et al. 2015 (572×572×1 → 388×388×2, valid convolutions, cropped skips)", (s, c) => UNet.Paper(classes: c ?? 2)),
        ["retinanet"] = ("RetinaNet-style detector: small backbone, FPN (strides 8-32), shared focal-loss heads (128×128×1 scenes, 10 digit classes; train on 'trilobite scenes')",
            (s, c) => Vision.Detection.RetinaNet.Build(s ?? [128, 128, 1], DigitNames(c ?? 10))),
        ["transfer"] = ("transfer learning: the ImageNet-pretrained ResNet-18 from NuGet (frozen) and a new softmax head (224×224×3; train on a folder of class subfolders; --base, --freeze-base, --fine-tune-from)",
            (s, c) => TransferLearning.WithNewHead(Trilobite.Onnx.Pretrained.ResNet18Features.Load(), c ?? 2, 255f)),
        ["yolo"] = ("YOLO v1-style grid detector: the same backbone to stride 16, an 8×8 grid of 2 boxes per cell (128×128×1 scenes, 10 digit classes)",
            (s, c) => Vision.Detection.YoloV1.Build(s ?? [128, 128, 1], DigitNames(c ?? 10))),
    };

    public static IEnumerable<string> Names => s_models.Keys;

    private static string[] DigitNames(int classes) => [.. Enumerable.Range(0, classes).Select(i => i.ToString(System.Globalization.CultureInfo.InvariantCulture))];

    /// <summary>The named model with its default input shape and classes.</summary>
    public static Model Build(string name) => Build(name, null, null);

    /// <summary>The named model for this input shape (no batch axis) and class count.</summary>
    public static Model Build(string name, int[]? inputShape, int? classes)
    {
        Check(name);
        return s_models[name].Build(inputShape, classes);
    }

    /// <summary>An unknown name is a usage error naming the known ones.</summary>
    public static void Check(string name)
    {
        if (!s_models.ContainsKey(name))
            throw new UsageException($"Unknown model '{Excerpt.Of(name)}'. Known models: {string.Join(", ", s_models.Keys)}.");
    }

    /// <summary>The input shape (height, width, channels) the named model is built for by default.</summary>
    public static int[] DefaultInputShape(string name) => name.ToLowerInvariant() switch
    {
        "lenet" or "smallresnet" or "capsnet" => [28, 28, 1],
        "lenet5" => [32, 32, 1],
        "unet" or "retinanet" or "yolo" => [128, 128, 1],
        "unet-paper" => [572, 572, 1],
        _ when s_models.ContainsKey(name) => [224, 224, 3],
        _ => throw new UsageException($"Unknown model '{Excerpt.Of(name)}'. Known models: {string.Join(", ", s_models.Keys)}."),
    };

    public static string Describe() => string.Join(Environment.NewLine, s_models.Select(kv => $"  {kv.Key,-12} {kv.Value.Description}"));
}
