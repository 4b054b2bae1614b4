using System.Numerics.Tensors;

namespace Trilobite.Autograd.Ops;

/// <summary>y = 1/(1 + e^(−x)); dx += dy·y·(1 − y).</summary>
public sealed class SigmoidOp : Op
{
    private SigmoidOp(Tensor x) : base([x]) { }

    public static Tensor Apply(Tensor x)
    {
        var y = Tensor.Create(x.ShapeArray, clear: false);
        TensorPrimitives.Sigmoid(x.Span, y.Span);
        return ShouldRecord(x) ? Attach(y, new SigmoidOp(x)) : y;
    }

    protected internal override void Backward(Tensor dy)
    {
        Span<float> dx = GradOf(Inputs[0]);
        ReadOnlySpan<float> y = Output.Span, g = dy.Span;
        for (int i = 0; i < dx.Length; i++) dx[i] += g[i] * y[i] * (1 - y[i]);
    }
}
