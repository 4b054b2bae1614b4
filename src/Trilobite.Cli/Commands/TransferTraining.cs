using Trilobite.Onnx.Pretrained;

namespace Trilobite.Cli.Commands;

/// <summary>
/// <c>trilobite train transfer --base resnet18-imagenet --data FOLDER [--freeze-base false] [--fine-tune-from LAYER]</c>: the
/// lecture's transfer learning on a folder of class subfolders — the pretrained base (frozen by default), a new
/// Dense(classes, softmax) head, trained by <see cref="ImageTraining"/>.
/// </summary>
internal static class TransferTraining
{
    /// <summary>The pretrained bases known by name; any saved .trilo or .onnx model whose output is a feature vector or map also serves.</summary>
    public const string ResNet18ImageNet = "resnet18-imagenet";

    /// <summary>The base, and the factor from the image folder's [0, 1] pixels to what it expects.</summary>
    public static (Model Base, float PixelScale) LoadBase(string spec) =>
        spec.Equals(ResNet18ImageNet, StringComparison.OrdinalIgnoreCase)
            ? (ResNet18Features.Load(), 255f)
            : File.Exists(spec) ? (ModelFiles.Load(spec), 1f)
            : throw new UsageException($"--base '{Excerpt.Of(spec)}' is neither '{ResNet18ImageNet}' nor a model file (.trilo or .onnx).");

    /// <summary>The model builder for <see cref="ImageTraining"/>: base + head, frozen or not, the top unfrozen from a named layer.</summary>
    public static Func<int[], int, Model> Builder(ConsoleIO io, string spec, bool freezeBase, string? fineTuneFrom) => (shape, classes) =>
    {
        var (featureBase, scale) = LoadBase(spec);
        if (!featureBase.InputShape.SequenceEqual(shape))
            throw new UsageException($"the base takes {ShapeText.WithBatch(featureBase.InputShape)} images; use --image-size {featureBase.InputShape[0]} and --color-mode {(featureBase.InputShape[^1] == 3 ? "rgb" : "grayscale")}.");
        var model = TransferLearning.WithNewHead(featureBase, classes, scale, freezeBase);
        if (fineTuneFrom != null)
        {
            var inner = featureBase.Layers.OfType<Model>().FirstOrDefault(m => m.Layers.Any(l => l.Name == fineTuneFrom)) ?? featureBase;
            int count = TransferLearning.Unfreeze(inner, fineTuneFrom);
            io.Out.WriteLine($"Fine-tuning {count} layers of the base from '{fineTuneFrom}' on.");
        }
        return model;
    };
}
