using Trilobite.Kernels;

namespace Trilobite.Autograd.Ops;

/// <summary>
/// Batch normalisation over the last axis in training mode: normalises with the batch statistics,
/// updates the moving mean/variance in place, and keeps μ and 1/σ for backward.
/// In inference mode it is a fixed affine map (still differentiable in x, γ, β).
/// </summary>
public sealed class BatchNormOp : Op
{
    private readonly float[] _mean, _inverseStd;

    private BatchNormOp(Tensor x, Tensor gamma, Tensor beta, float[] mean, float[] inverseStd) : base([x, gamma, beta]) =>
        (_mean, _inverseStd) = (mean, inverseStd);

    public static Tensor Apply(Tensor x, Tensor gamma, Tensor beta, Tensor movingMean, Tensor movingVariance,
        bool training, float momentum, float epsilon)
    {
        int c = x.Dim(-1);
        if (gamma.Length != c)
            throw new ArgumentException($"BatchNormalization has {gamma.Length} channels but the input {ShapeText.Of(x.Shape)} has {c}.");
        var y = Tensor.Create(x.ShapeArray, clear: false);
        float[] mean = new float[c], inverseStd = new float[c];
        if (training)
            BatchNormKernels.ForwardTraining(x.Span, c, gamma.Span, beta.Span, epsilon, momentum,
                movingMean.Span, movingVariance.Span, y.Span, mean, inverseStd);
        else
        {
            BatchNormKernels.ForwardInference(x.Span, c, gamma.Span, beta.Span, epsilon, movingMean.Span, movingVariance.Span, y.Span);
            movingMean.Span.CopyTo(mean);
            for (int i = 0; i < c; i++) inverseStd[i] = 1f / MathF.Sqrt(movingVariance.Span[i] + epsilon);
        }
        if (!ShouldRecord(x, gamma, beta)) return y;
        return Attach(y, training
            ? new BatchNormOp(x, gamma, beta, mean, inverseStd)
            : new FrozenBatchNormOp(x, gamma, beta, mean, inverseStd));
    }

    protected internal override void Backward(Tensor dy)
    {
        Tensor x = Inputs[0], gamma = Inputs[1], beta = Inputs[2];
        int c = x.Dim(-1);
        Span<float> dGamma = gamma.RequiresGrad ? GradOf(gamma) : new float[c];
        Span<float> dBeta = beta.RequiresGrad ? GradOf(beta) : new float[c];
        BatchNormKernels.Backward(x.Span, dy.Span, c, gamma.Span, _mean, _inverseStd,
            x.RequiresGrad ? GradOf(x) : default, dGamma, dBeta);
    }

    /// <summary>Inference-mode batch norm: y = γ·(x − m)·s + β with fixed m, s.</summary>
    private sealed class FrozenBatchNormOp(Tensor x, Tensor gamma, Tensor beta, float[] mean, float[] inverseStd) : Op([x, gamma, beta])
    {
        protected internal override void Backward(Tensor dy)
        {
            Tensor xin = Inputs[0], g = Inputs[1], b = Inputs[2];
            BatchNormKernels.BackwardInference(xin.Span, dy.Span, xin.Dim(-1), g.Span, mean, inverseStd,
                xin.RequiresGrad ? GradOf(xin) : default, g.RequiresGrad ? GradOf(g) : default, b.RequiresGrad ? GradOf(b) : default);
        }
    }
}
