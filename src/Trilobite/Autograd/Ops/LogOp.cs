using System.Numerics.Tensors;

namespace Trilobite.Autograd.Ops;

/// <summary>y = ln x; dx += dy/x.</summary>
public sealed class LogOp : Op
{
    private LogOp(Tensor x) : base([x]) { }

    public static Tensor Apply(Tensor x)
    {
        var y = Tensor.Create(x.ShapeArray, clear: false);
        TensorPrimitives.Log(x.Span, y.Span);
        return ShouldRecord(x) ? Attach(y, new LogOp(x)) : y;
    }

    protected internal override void Backward(Tensor dy)
    {
        Span<float> dx = GradOf(Inputs[0]);
        ReadOnlySpan<float> x = Inputs[0].Span, g = dy.Span;
        for (int i = 0; i < dx.Length; i++) dx[i] += g[i] / x[i];
    }
}
