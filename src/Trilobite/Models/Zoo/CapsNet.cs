using System.Globalization;
using Trilobite.Layers;

namespace Trilobite.Zoo;

/// <summary>
/// The MNIST capsule network of Sabour, Frosst and Hinton (2017), "Dynamic Routing Between Capsules": Conv1 (256 9×9
/// ReLU) → PrimaryCaps (32 types of 8-D capsules, 9×9, stride 2: 1152 capsules) → DigitCaps (10 capsules of 16, three
/// routing iterations) → the capsules' lengths, which are the class scores; and a reconstruction decoder (FC 512 ReLU →
/// 1024 ReLU → 784 sigmoid) on the digit capsules with all but one masked. 8,215,568 parameters, 6,804,224 without the
/// decoder (the paper's 8.2M and 6.8M).
/// <para>
/// The graph has two outputs, the lengths (what <see cref="Model.Predict"/> returns) and the reconstruction from the
/// longest capsule. Training masks by the true class instead, and adds <see cref="ReconstructionWeight"/> × the sum of
/// squared pixel errors per sample to the compiled loss (the margin loss): targets are one-hot (N, 10).
/// </para>
/// </summary>
public sealed class CapsNet : Model
{
    private const string WeightKey = "capsnet.reconstruction_weight";
    private readonly Model _capsules;
    private readonly Layer _decoder;

    /// <summary>
    /// A capsule network from its graph: outputs[0] = <see cref="Length"/> of the digit capsules, outputs[1] = a decoder
    /// model applied to <see cref="Mask"/> of the same capsules. Throws <see cref="ArgumentException"/> for another shape of graph.
    /// </summary>
    public CapsNet(SymbolicTensor[] inputs, SymbolicTensor[] outputs, string? name = null) : base(inputs, outputs, name)
    {
        if (outputs.Length != 2 || outputs[0].Layer is not Length || outputs[1].Inputs is not [{ Layer: Mask } masked] || masked.Inputs[0] != outputs[0].Inputs[0])
            throw new ArgumentException("A CapsNet graph has two outputs: Length(capsules) and decoder(Mask(capsules)) of the same capsules.");
        _capsules = new Model(inputs, [outputs[0].Inputs[0]], $"{Name}_capsules");
        _decoder = outputs[1].Layer;
        if (!Metadata.ContainsKey(WeightKey)) ReconstructionWeight = 0.0005f;
    }

    /// <inheritdoc/>
    public override string TypeName => "CapsNet";

    /// <summary>The paper's network for 28×28×1 digits and 10 classes (or another input size and class count), built.</summary>
    public static CapsNet Mnist(int[]? inputShape = null, int classes = 10, int routings = 3, bool stopGradientInRouting = false)
    {
        int[] shape = inputShape ?? [28, 28, 1];
        var input = Input.Of(shape, "image");
        var features = new Conv2D(256, kernelSize: 9, activation: Activation.ReLU, name: "conv1").Call(input);
        var primary = new PrimaryCaps(types: 32, dim: 8, kernelSize: 9, strides: 2, name: "primarycaps").Call(features);
        var digits = new CapsuleLayer(classes, 16, routings, stopGradientInRouting, name: "digitcaps").Call(primary);
        var lengths = new Length(name: "capsnet").Call(digits);
        var masked = new Mask(name: "mask").Call(digits);
        var decoder = new Sequential([
            new Dense(512, activation: Activation.ReLU, inputShape: [classes * 16]),
            new Dense(1024, activation: Activation.ReLU),
            new Dense(shape.Aggregate(1, (a, b) => a * b), activation: Activation.Sigmoid),
            new Reshape(shape)], "decoder");
        return new CapsNet([input], [lengths, decoder.Call(masked)], "capsnet");
    }

    /// <summary>The reconstruction loss's weight, 0.0005 as in the paper (saved with the model).</summary>
    public float ReconstructionWeight
    {
        get => float.Parse(Metadata[WeightKey], CultureInfo.InvariantCulture);
        set => Metadata[WeightKey] = (value >= 0 && float.IsFinite(value) ? value
            : throw new ArgumentOutOfRangeException(nameof(value), $"The reconstruction weight must be a non-negative number, got {value}.")).ToString("R", CultureInfo.InvariantCulture);
    }

    /// <summary>The digit capsules v (N, classes, 16) of a batch of images, in inference mode.</summary>
    public Tensor DigitCapsules(Tensor images) => _capsules.Forward(images, training: false);

    /// <summary>
    /// The decoder's images from digit capsules (N, classes, 16): each sample's capsule of <paramref name="labels"/>
    /// (one-hot or class indices) kept, or its longest when no labels are given.
    /// </summary>
    public Tensor Reconstruct(Tensor capsules, Tensor? labels = null) =>
        _decoder.Forward([labels == null ? Mask.Longest(capsules) : Mask.ByLabels(capsules, labels)], training: false);

    /// <summary>Margin loss on the lengths + weight × Σ(reconstruction − x)² per sample, the reconstruction from the true class's capsule.</summary>
    protected override (Tensor Prediction, Tensor Loss) PredictAndLoss(Tensor x, Tensor y, Tensor? sampleWeight, bool training)
    {
        var capsules = _capsules.Forward(x, training);
        var lengths = capsules.VectorNorm(-1);
        var loss = ComputeLoss(lengths, y, sampleWeight, training);
        float weight = ReconstructionWeight;
        if (weight == 0) return (lengths, loss);
        var error = _decoder.Forward([Mask.ByLabels(capsules, y)], training) - x;
        return (lengths, loss + (error * error).Sum() * (weight / x.Dim(0)));
    }
}
