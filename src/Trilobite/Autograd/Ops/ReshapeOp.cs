using Trilobite.Kernels;

namespace Trilobite.Autograd.Ops;

/// <summary>y = x viewed under a new shape (shared storage); dx += dy element for element.</summary>
public sealed class ReshapeOp : Op
{
    private ReshapeOp(Tensor x) : base([x]) { }

    /// <summary>x viewed under <paramref name="shape"/>, sharing its storage; the shape is already resolved (no −1; see Tensor.Reshape).</summary>
    public static Tensor Apply(Tensor x, int[] shape)
    {
        var y = x.View(shape);
        return ShouldRecord(x) ? Attach(y, new ReshapeOp(x)) : y;
    }

    /// <inheritdoc/>
    protected internal override void Backward(Tensor dy)
    {
        var dx = GradOf(Inputs[0]);
        dy.Backend.Binary(new AddOperator(), dx, dy.Data, dx);
    }
}
