using System.Text.Json.Nodes;
using Trilobite.Autograd.Ops;
using Trilobite.Initializers;
using Trilobite.Serialization;

namespace Trilobite.Layers;

/// <summary>
/// Normalises each channel (the last axis) with the batch's mean and variance while training and
/// with moving averages at inference, then scales by γ and shifts by β. Keras defaults:
/// momentum 0.99, ε 1e-3. γ, β are trainable; the moving mean and variance are not (they are
/// counted apart in the summary's "Non-trainable params").
/// </summary>
public sealed class BatchNormalization(double momentum = 0.99, double epsilon = 1e-3, int[]? inputShape = null, string? name = null)
    : SingleInputLayer(name, inputShape)
{
    private Weight? _gamma, _beta, _movingMean, _movingVariance;
    private Tensor? _batchMean, _batchInverseStd;

    /// <summary>Weight of the old moving statistics in each update, in [0, 1].</summary>
    public double Momentum { get; } = Arguments.InRange("BatchNormalization", "momentum", momentum, 0, 1);

    /// <summary>Added to the variance before the square root: positive, or a constant channel divides by zero.</summary>
    public double Epsilon { get; } = Arguments.Positive("BatchNormalization", "epsilon", epsilon);

    /// <inheritdoc/>
    protected override int[] ComputeOutputShape(int[] s) => s;

    /// <summary>Creates γ (ones) and β (zeros), trainable, and the moving mean (zeros) and variance (ones), not trainable, one value per channel.</summary>
    protected override void OnBuild(int[] s)
    {
        int channels = s[^1];
        _gamma = AddWeight("gamma", [channels], Initializer.Ones);
        _beta = AddWeight("beta", [channels], Initializer.Zeros);
        _movingMean = AddWeight("moving_mean", [channels], Initializer.Zeros, trainable: false);
        _movingVariance = AddWeight("moving_variance", [channels], Initializer.Ones, trainable: false);
    }

    /// <summary>A frozen layer (Trainable = false) always uses its moving statistics, as in Keras since 2.1.3.</summary>
    protected override Tensor Forward(Tensor x, bool training) => Normalize(x, training, relu: false);

    /// <summary>
    /// This layer followed by a ReLU, in one pass each way: what a <see cref="Model"/> runs when the graph feeds this
    /// layer's output to a ReLU <see cref="ActivationLayer"/> alone (the tensor between them is never needed).
    /// </summary>
    internal Tensor ForwardThenRelu(IReadOnlyList<Tensor> inputs, bool training) => Normalize(CheckedInput(inputs), training, relu: true);

    private Tensor Normalize(Tensor x, bool training, bool relu)
    {
        bool batchStatistics = training && Trainable;
        var y = BatchNormOp.Apply(x, _gamma!.Value, _beta!.Value, _movingMean!.Value, _movingVariance!.Value,
            batchStatistics, (float)Momentum, (float)Epsilon, out var mean, out var inverseStd, relu);
        if (batchStatistics) KeepBatchStatistics(mean, inverseStd);
        return y;
    }

    /// <summary>
    /// The mean of each channel over the last training batch (null before one), for inspection, on the layer's device.
    /// The next training batch overwrites it in place: <c>Clone()</c> it to keep it.
    /// </summary>
    public Tensor? BatchMean => _batchMean;

    /// <summary>The biased variance of each channel over the last training batch (what it was normalised with), or null before one.</summary>
    public Tensor? BatchVariance
    {
        get
        {
            if (_batchInverseStd == null) return null;
            using var _ = Autograd.GradMode.NoGrad();
            var s = _batchInverseStd.Detach();
            return (Tensor.Ones([s.Length], s.Device) / (s * s) - (float)Epsilon).CopyTo(s.Device, pooled: false);
        }
    }

    private void KeepBatchStatistics(Tensor mean, Tensor inverseStd)
    {
        if (_batchMean == null || _batchMean.Device != mean.Device)
            (_batchMean, _batchInverseStd) = (Tensor.Zeros([mean.Length], mean.Device), Tensor.Zeros([mean.Length], mean.Device));
        mean.Backend.Copy(mean.Data, _batchMean.Data);
        mean.Backend.Copy(inverseStd.Data, _batchInverseStd!.Data);
    }

    /// <inheritdoc/>
    public override JsonObject GetConfig()
    {
        var c = base.GetConfig();
        c["momentum"] = Momentum;
        c["epsilon"] = Epsilon;
        return c;
    }

    internal static BatchNormalization FromConfig(JsonObject c) => new(Json.Double(c, "momentum"), Json.Double(c, "epsilon"),
        Json.OptionalIntArray(c, "input_shape"), Json.OptionalString(c, "name"));
}
