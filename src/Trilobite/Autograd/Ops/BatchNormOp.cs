using Trilobite.Backends;

namespace Trilobite.Autograd.Ops;

/// <summary>
/// Batch normalisation over the last axis in training mode: normalises with the batch statistics,
/// updates the moving mean/variance in place, and keeps μ and 1/σ (on the device) for backward.
/// In inference mode it is a fixed affine map (still differentiable in x, γ, β). With a fused ReLU the output is
/// max(·, 0) and backward takes the gradient through it (from the output: zero where it is not positive), in the same
/// passes: what a BatchNormalization followed by a ReLU computes, without the tensor between them.
/// </summary>
public sealed class BatchNormOp : Op
{
    private readonly Tensor _mean, _inverseStd;
    private readonly bool _training, _relu;

    private BatchNormOp(Tensor x, Tensor gamma, Tensor beta, Tensor mean, Tensor inverseStd, bool training, bool relu) : base([x, gamma, beta]) =>
        (_mean, _inverseStd, _training, _relu) = (mean, inverseStd, training, relu);

    /// <summary>"BatchNorm" in training mode, "FrozenBatchNorm" in inference mode; "+ReLU" when one is fused.</summary>
    public override string Name => (_training ? "BatchNorm" : "FrozenBatchNorm") + (_relu ? "+ReLU" : "");

    /// <summary>Normalises x over its last axis (channels): with the batch statistics, updating the moving ones in place, when <paramref name="training"/>; else with the moving ones. Throws <see cref="ArgumentException"/> when a parameter's length is not the channel count.</summary>
    public static Tensor Apply(Tensor x, Tensor gamma, Tensor beta, Tensor movingMean, Tensor movingVariance,
        bool training, float momentum, float epsilon) => Apply(x, gamma, beta, movingMean, movingVariance, training, momentum, epsilon, out _, out _);

    /// <summary>
    /// As above, also giving the statistics this call normalised with: the batch's (training) or the moving ones, as μ and
    /// 1/√(σ² + ε); with <paramref name="relu"/>, max(·, 0) of the result, differentiated as a ReLU after it.
    /// </summary>
    public static Tensor Apply(Tensor x, Tensor gamma, Tensor beta, Tensor movingMean, Tensor movingVariance,
        bool training, float momentum, float epsilon, out Tensor usedMean, out Tensor usedInverseStd, bool relu = false)
    {
        int c = x.Dim(-1);
        if (gamma.Length != c || beta.Length != c || movingMean.Length != c || movingVariance.Length != c)
            throw new ArgumentException($"BatchNormalization has {gamma.Length} channels but the input {ShapeText.Of(x.Shape)} has {c}.");
        var backend = Backend("BatchNormalization", x, gamma, beta);
        Backend("BatchNormalization", x, movingMean, movingVariance);
        var y = Tensor.Create(x.ShapeArray, x.Device, clear: false);
        var inverseStd = Tensor.Create([c], x.Device, clear: false);
        Tensor mean;
        if (training)
        {
            mean = Tensor.Create([c], x.Device, clear: false);
            backend.BatchNormTraining(x.Data, c, gamma.Data, beta.Data, epsilon, momentum, movingMean.Data, movingVariance.Data,
                y.Data, mean.Data, inverseStd.Data, relu);
        }
        else
        {
            mean = movingMean.Detach();
            backend.BatchNormInference(x.Data, c, gamma.Data, beta.Data, epsilon, movingMean.Data, movingVariance.Data, y.Data, inverseStd.Data, relu);
        }
        (usedMean, usedInverseStd) = (mean, inverseStd);
        if (!ShouldRecord(x, gamma, beta)) return y;
        // Frozen statistics must stay what this forward used, even if the moving mean changes before backward.
        if (!training) mean = mean.CopyTo(x.Device, pooled: TensorScope.Current != null);
        return Attach(y, new BatchNormOp(x, gamma, beta, mean, inverseStd, training, relu));
    }

    /// <inheritdoc/>
    protected internal override void Backward(Tensor dy)
    {
        Tensor x = Inputs[0], gamma = Inputs[1], beta = Inputs[2];
        var backend = dy.Backend;
        var dx = x.RequiresGrad ? GradOf(x) : default;
        var reluOutput = _relu ? Output.Data : StorageView.None;
        if (_training)
            backend.BatchNormBackward(x.Data, dy.Data, x.Dim(-1), gamma.Data, _mean.Data, _inverseStd.Data, dx, GradOrNone(gamma), GradOrNone(beta), reluOutput);
        else
            backend.BatchNormBackwardInference(x.Data, dy.Data, x.Dim(-1), gamma.Data, _mean.Data, _inverseStd.Data, dx, GradOrNone(gamma), GradOrNone(beta), reluOutput);
    }
}
