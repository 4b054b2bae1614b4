using System.Numerics.Tensors;
using Trilobite.Kernels;

namespace Trilobite.Autograd.Ops;

/// <summary>
/// y = a ∘ b for ∘ in {+, −, ×, ÷} with NumPy broadcasting. Backward reduces each input's
/// gradient over the axes broadcasting stretched: d(a+b) → (g, g); d(a−b) → (g, −g);
/// d(a·b) → (g·b, g·a); d(a/b) → (g/b, −g·y/b).
/// </summary>
public sealed class BinaryOp : Op
{
    private readonly BinaryOperator _operator;

    private BinaryOp(BinaryOperator op, Tensor a, Tensor b) : base([a, b]) => _operator = op;

    public static Tensor Apply(BinaryOperator op, Tensor a, Tensor b)
    {
        int[] shape = BroadcastKernels.ResultShape(a.Shape, b.Shape);
        var y = Tensor.Create(shape, clear: false);
        BroadcastKernels.Binary(op, a.Span, a.Shape, b.Span, b.Shape, y.Span, shape);
        return ShouldRecord(a, b) ? Attach(y, new BinaryOp(op, a, b)) : y;
    }

    protected internal override void Backward(Tensor g)
    {
        Tensor a = Inputs[0], b = Inputs[1];
        switch (_operator)
        {
            case BinaryOperator.Add:
                if (a.RequiresGrad) Reduce(g, a);
                if (b.RequiresGrad) Reduce(g, b);
                break;
            case BinaryOperator.Subtract:
                if (a.RequiresGrad) Reduce(g, a);
                if (b.RequiresGrad) Reduce(Combine(BinaryOperator.Multiply, g, Tensor.Scalar(-1f)), b);
                break;
            case BinaryOperator.Multiply:
                if (a.RequiresGrad) Reduce(Combine(BinaryOperator.Multiply, g, b), a);
                if (b.RequiresGrad) Reduce(Combine(BinaryOperator.Multiply, g, a), b);
                break;
            default:
                if (a.RequiresGrad) Reduce(Combine(BinaryOperator.Divide, g, b), a);
                if (b.RequiresGrad)
                {
                    var t = Combine(BinaryOperator.Divide, Combine(BinaryOperator.Multiply, g, Output), b);
                    TensorPrimitives.Negate(t.Span, t.Span);
                    Reduce(t, b);
                }
                break;
        }
    }

    private static Tensor Combine(BinaryOperator op, Tensor x, Tensor y)
    {
        int[] shape = BroadcastKernels.ResultShape(x.Shape, y.Shape);
        var t = Tensor.Create(shape, clear: false);
        BroadcastKernels.Binary(op, x.Span, x.Shape, y.Span, y.Shape, t.Span, shape);
        return t;
    }

    private static void Reduce(Tensor g, Tensor input) =>
        BroadcastKernels.SumToShape(g.Span, g.Shape, GradOf(input), input.Shape);
}
