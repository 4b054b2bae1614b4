namespace Trilobite.Autograd.Ops;

/// <summary>Log-softmax over the last axis, stable; dx += dy − softmax·Σ dy.</summary>
public sealed class LogSoftmaxOp : Op
{
    private LogSoftmaxOp(Tensor x) : base([x]) { }

    /// <summary>Log-softmax of x over its last axis, of x's shape.</summary>
    public static Tensor Apply(Tensor x)
    {
        var y = Tensor.Create(x.ShapeArray, x.Device, clear: false);
        x.Backend.LogSoftmax(x.Data, x.Dim(-1), y.Data);
        return ShouldRecord(x) ? Attach(y, new LogSoftmaxOp(x)) : y;
    }

    /// <inheritdoc/>
    protected internal override void Backward(Tensor dy) => dy.Backend.LogSoftmaxBackward(Output.Data, dy.Data, Output.Dim(-1), GradOf(Inputs[0]));
}
