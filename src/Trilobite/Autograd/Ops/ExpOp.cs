using System.Numerics.Tensors;

namespace Trilobite.Autograd.Ops;

/// <summary>y = eˣ; dx += dy·y.</summary>
public sealed class ExpOp : Op
{
    private ExpOp(Tensor x) : base([x]) { }

    public static Tensor Apply(Tensor x)
    {
        var y = Tensor.Create(x.ShapeArray, clear: false);
        TensorPrimitives.Exp(x.Span, y.Span);
        return ShouldRecord(x) ? Attach(y, new ExpOp(x)) : y;
    }

    protected internal override void Backward(Tensor dy)
    {
        Span<float> dx = GradOf(Inputs[0]);
        TensorPrimitives.MultiplyAdd(dy.Span, Output.Span, dx, dx);
    }
}
