using Trilobite.Kernels;

namespace Trilobite.Autograd.Ops;

/// <summary>Log-softmax over the last axis, stable; dx += dy − softmax·Σ dy.</summary>
public sealed class LogSoftmaxOp : Op
{
    private LogSoftmaxOp(Tensor x) : base([x]) { }

    public static Tensor Apply(Tensor x)
    {
        var y = Tensor.Create(x.ShapeArray, clear: false);
        SoftmaxKernels.LogSoftmax(x.Span, x.Dim(-1), y.Span);
        return ShouldRecord(x) ? Attach(y, new LogSoftmaxOp(x)) : y;
    }

    protected internal override void Backward(Tensor dy) =>
        SoftmaxKernels.LogSoftmaxBackward(Output.Span, dy.Span, Output.Dim(-1), GradOf(Inputs[0]));
}
