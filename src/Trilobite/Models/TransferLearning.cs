using Trilobite.Autograd.Ops;
using Trilobite.Layers;

namespace Trilobite;

/// <summary>
/// The lecture's transfer learning: keep a pretrained network's convolutional base, put a new classifier on it
/// (<c>Dense(classes, activation='softmax')</c>) and train on a small new task — first with the base frozen, then, if wanted,
/// with its top layers unfrozen at a small learning rate (<see cref="Unfreeze"/>).
/// <code>
/// var model = TransferLearning.WithNewHead(ResNet18Features.Load(), classes: 10, inputScale: 255);
/// model.Compile(Loss.CategoricalCrossentropy, new Adam(1e-3), [Metric.Accuracy]);
/// </code>
/// </summary>
public static class TransferLearning
{
    /// <summary>The name of the new classifier layer.</summary>
    public const string HeadName = "head";

    /// <summary>
    /// image → (×<paramref name="inputScale"/>, for a base that expects pixels 0–255 fed images in [0, 1]) → the base (frozen
    /// unless <paramref name="freezeBase"/> is false) → Flatten when its output is not flat → Dense(<paramref name="classes"/>,
    /// softmax) named <see cref="HeadName"/>. The base keeps its weights; the head is initialised from the global seed.
    /// </summary>
    public static Model WithNewHead(Model featureBase, int classes, float inputScale = 1f, bool freezeBase = true)
    {
        ArgumentNullException.ThrowIfNull(featureBase);
        ArgumentOutOfRangeException.ThrowIfLessThan(classes, 2);
        var image = Input.Of(featureBase.InputShape, "image");
        SymbolicTensor x = image;
        if (inputScale != 1f) x = new ElementwiseConstant(BinaryOperator.Multiply, [inputScale], [], name: "pixel_scale").Call(x);
        x = featureBase.Call(x);
        if (x.Shape.Length > 1) x = new Flatten(name: "features_flat").Call(x);
        var output = new Dense(classes, Activation.Softmax, name: HeadName).Call(x);
        featureBase.Trainable = !freezeBase;
        return new Model(image, output, $"{featureBase.Name}_transfer");
    }

    /// <summary>
    /// Makes the layers of <paramref name="featureBase"/> from the one named <paramref name="firstLayer"/> to its output trainable
    /// (the layers before it stay frozen): fine-tuning the top of a pretrained network. Returns how many layers were unfrozen.
    /// An unknown name is an <see cref="ArgumentException"/> listing the layers.
    /// </summary>
    public static int Unfreeze(Model featureBase, string firstLayer)
    {
        ArgumentNullException.ThrowIfNull(featureBase);
        var first = featureBase.GetLayer(firstLayer);
        int start = featureBase.Layers.ToList().IndexOf(first), count = 0;
        foreach (var layer in featureBase.Layers.Skip(start).Where(l => l is not InputLayer))
        {
            layer.Trainable = true;
            count++;
        }
        return count;
    }
}
