namespace Trilobite.Autograd.Ops;

/// <summary>Softmax over the last axis, stable; dx += y·(dy − Σ dy·y). When it feeds a cross-entropy
/// loss the trainer uses its input as logits with the fused loss instead.</summary>
public sealed class SoftmaxOp : Op
{
    private SoftmaxOp(Tensor x) : base([x]) { }

    /// <summary>Softmax of x over its last axis, of x's shape.</summary>
    public static Tensor Apply(Tensor x)
    {
        var y = Tensor.Create(x.ShapeArray, x.Device, clear: false);
        x.Backend.Softmax(x.Data, x.Dim(-1), y.Data);
        return ShouldRecord(x) ? Attach(y, new SoftmaxOp(x)) : y;
    }

    /// <inheritdoc/>
    protected internal override void Backward(Tensor dy) => dy.Backend.SoftmaxBackward(Output.Data, dy.Data, Output.Dim(-1), GradOf(Inputs[0]));
}
