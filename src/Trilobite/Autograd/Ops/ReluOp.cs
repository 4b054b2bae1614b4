using System.Numerics.Tensors;

namespace Trilobite.Autograd.Ops;

/// <summary>y = max(x, 0); dx += dy where y &gt; 0.</summary>
public sealed class ReluOp : Op
{
    private ReluOp(Tensor x) : base([x]) { }

    public static Tensor Apply(Tensor x)
    {
        var y = Tensor.Create(x.ShapeArray, clear: false);
        Kernels.ElementwiseSplit.Run(x.Span, y.Span, static (input, output) => TensorPrimitives.Max(input, 0f, output));
        return ShouldRecord(x) ? Attach(y, new ReluOp(x)) : y;
    }

    protected internal override void Backward(Tensor dy)
    {
        Kernels.ActivationKernels.ReluBackward(Output.Span, dy.Span, GradOf(Inputs[0]));
    }
}
