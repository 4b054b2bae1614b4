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
    /// (the layers before it stay frozen): fine-tuning the top of a pretrained network. The layer may be inside a nested model
    /// (an imported network inside its preprocessing, say). Returns how many layers were unfrozen. An unknown name is an
    /// <see cref="ArgumentException"/> listing the layers.
    /// </summary>
    public static int Unfreeze(Model featureBase, string firstLayer)
    {
        ArgumentNullException.ThrowIfNull(featureBase);
        ArgumentNullException.ThrowIfNull(firstLayer);
        int unfrozen = UnfreezeFrom(featureBase, firstLayer);
        return unfrozen >= 0 ? unfrozen : throw new ArgumentException(
            $"Model '{featureBase.Name}' has no layer '{Excerpt.Of(firstLayer)}' (nested models searched too); its layers are {string.Join(", ", featureBase.Layers.Where(l => l is not InputLayer).Select(l => l.Name))}.", nameof(firstLayer));
    }

    /// <summary>Unfreezes from the named layer (found here or in a nested model) to the end; −1 when the name is not in <paramref name="model"/>.</summary>
    private static int UnfreezeFrom(Model model, string name)
    {
        var layers = model.Layers.Where(l => l is not InputLayer).ToList();
        for (int i = 0; i < layers.Count; i++)
        {
            int inside = layers[i].Name == name ? 0 : layers[i] is Model nested ? UnfreezeFrom(nested, name) : -1;
            if (inside < 0) continue;
            int count = inside;
            foreach (var layer in layers.Skip(layers[i].Name == name ? i : i + 1))
            {
                layer.Trainable = true;
                count++;
            }
            return count;
        }
        return -1;
    }
}
