namespace Trilobite.Autograd.Ops;

/// <summary>Softmax over one axis (the last by default), stable; dx += y·(dy − Σ dy·y) along that axis. When it feeds a
/// cross-entropy loss the trainer uses its input as logits with the fused loss instead.</summary>
public sealed class SoftmaxOp : Op
{
    private readonly AxisSplit _split;

    private SoftmaxOp(Tensor x, AxisSplit split) : base([x]) => _split = split;

    /// <summary>Softmax of x over <paramref name="axis"/> (negative counts from the end), of x's shape.</summary>
    public static Tensor Apply(Tensor x, int axis = -1)
    {
        var split = AxisSplit.Of(x, axis);
        var y = Tensor.Create(x.ShapeArray, x.Device, clear: false);
        if (split.Inner == 1) x.Backend.Softmax(x.Data, x.Dim(-1), y.Data);
        else x.Backend.SoftmaxAxis(x.Data, split.Outer, split.Axis, split.Inner, y.Data);
        return ShouldRecord(x) ? Attach(y, new SoftmaxOp(x, split)) : y;
    }

    /// <inheritdoc/>
    protected internal override void Backward(Tensor dy)
    {
        if (_split.Inner == 1) dy.Backend.SoftmaxBackward(Output.Data, dy.Data, Output.Dim(-1), GradOf(Inputs[0]));
        else dy.Backend.SoftmaxAxisBackward(Output.Data, dy.Data, _split.Outer, _split.Axis, _split.Inner, GradOf(Inputs[0]));
    }
}
