using System.Numerics.Tensors;

namespace Trilobite.Autograd.Ops;

/// <summary>y = max(x, 0); dx += dy where y &gt; 0.</summary>
public sealed class ReluOp : Op
{
    private ReluOp(Tensor x) : base([x]) { }

    public static Tensor Apply(Tensor x)
    {
        var y = Tensor.Create(x.ShapeArray, clear: false);
        TensorPrimitives.Max(x.Span, 0f, y.Span);
        return ShouldRecord(x) ? Attach(y, new ReluOp(x)) : y;
    }

    protected internal override void Backward(Tensor dy)
    {
        Span<float> dx = GradOf(Inputs[0]);
        ReadOnlySpan<float> y = Output.Span, g = dy.Span;
        for (int i = 0; i < dx.Length; i++) if (y[i] > 0) dx[i] += g[i];
    }
}
