using System.Numerics.Tensors;

namespace Trilobite.Autograd.Ops;

/// <summary>y = tanh(x); dx += dy·(1 − y²).</summary>
public sealed class TanhOp : Op
{
    private TanhOp(Tensor x) : base([x]) { }

    public static Tensor Apply(Tensor x)
    {
        var y = Tensor.Create(x.ShapeArray, clear: false);
        TensorPrimitives.Tanh(x.Span, y.Span);
        return ShouldRecord(x) ? Attach(y, new TanhOp(x)) : y;
    }

    protected internal override void Backward(Tensor dy)
    {
        Span<float> dx = GradOf(Inputs[0]);
        ReadOnlySpan<float> y = Output.Span, g = dy.Span;
        for (int i = 0; i < dx.Length; i++) dx[i] += g[i] * (1 - y[i] * y[i]);
    }
}
