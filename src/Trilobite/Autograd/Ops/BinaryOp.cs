using Trilobite.Backends;
using Trilobite.Kernels;

namespace Trilobite.Autograd.Ops;

/// <summary>The four arithmetic operators that broadcast.</summary>
public enum BinaryOperator
{
    /// <summary>a + b.</summary>
    Add,

    /// <summary>a − b.</summary>
    Subtract,

    /// <summary>a·b, elementwise.</summary>
    Multiply,

    /// <summary>a/b, elementwise.</summary>
    Divide,
}

/// <summary>
/// y = a ∘ b for ∘ in {+, −, ×, ÷} with NumPy broadcasting. Backward composes backend primitives and reduces each
/// input's gradient over the axes broadcasting stretched: d(a+b) → (g, g); d(a−b) → (g, −g); d(a·b) → (g·b, g·a);
/// d(a/b) → (g/b, −g·y/b).
/// </summary>
public sealed class BinaryOp : Op
{
    private readonly BinaryOperator _operator;

    private BinaryOp(BinaryOperator op, Tensor a, Tensor b) : base([a, b]) => _operator = op;

    /// <summary>The operator's name: "Add", "Subtract", "Multiply" or "Divide".</summary>
    public override string Name => _operator.ToString();

    /// <summary>a ∘ b with NumPy broadcasting, on the operands' common device; throws when the shapes do not broadcast or the devices differ.</summary>
    public static Tensor Apply(BinaryOperator op, Tensor a, Tensor b)
    {
        var backend = Backend(op.ToString(), a, b);
        int[] shape = BroadcastKernels.ResultShape(a.Shape, b.Shape);
        var y = Tensor.Create(shape, a.Device, clear: false);
        Combine(backend, op, a, b, y);
        return ShouldRecord(a, b) ? Attach(y, new BinaryOp(op, a, b)) : y;
    }

    /// <inheritdoc/>
    protected internal override void Backward(Tensor g)
    {
        Tensor a = Inputs[0], b = Inputs[1];
        var backend = g.Backend;
        switch (_operator)
        {
            case BinaryOperator.Add:
                if (a.RequiresGrad) Reduce(backend, g, a);
                if (b.RequiresGrad) Reduce(backend, g, b);
                break;
            case BinaryOperator.Subtract:
                if (a.RequiresGrad) Reduce(backend, g, a);
                if (b.RequiresGrad) Reduce(backend, Map(backend, new ScaleOperator(-1f), g), b);
                break;
            case BinaryOperator.Multiply:
                if (a.RequiresGrad) Reduce(backend, Combined(backend, BinaryOperator.Multiply, g, b), a);
                if (b.RequiresGrad) Reduce(backend, Combined(backend, BinaryOperator.Multiply, g, a), b);
                break;
            default:
                if (a.RequiresGrad) Reduce(backend, Combined(backend, BinaryOperator.Divide, g, b), a);
                if (b.RequiresGrad)
                {
                    var t = Combined(backend, BinaryOperator.Divide, Combined(backend, BinaryOperator.Multiply, g, Output), b);
                    Reduce(backend, Map(backend, new ScaleOperator(-1f), t), b);
                }
                break;
        }
    }

    private static void Combine(IBackend backend, BinaryOperator op, Tensor x, Tensor y, Tensor result)
    {
        switch (op)
        {
            case BinaryOperator.Add: backend.Broadcast(new AddOperator(), x.Data, x.Shape, y.Data, y.Shape, result.Data, result.Shape); break;
            case BinaryOperator.Subtract: backend.Broadcast(new SubtractOperator(), x.Data, x.Shape, y.Data, y.Shape, result.Data, result.Shape); break;
            case BinaryOperator.Multiply: backend.Broadcast(new MultiplyOperator(), x.Data, x.Shape, y.Data, y.Shape, result.Data, result.Shape); break;
            default: backend.Broadcast(new DivideOperator(), x.Data, x.Shape, y.Data, y.Shape, result.Data, result.Shape); break;
        }
    }

    /// <summary>x ∘ y into a new pooled tensor, unrecorded.</summary>
    private static Tensor Combined(IBackend backend, BinaryOperator op, Tensor x, Tensor y)
    {
        var t = Tensor.Create(BroadcastKernels.ResultShape(x.Shape, y.Shape), x.Device, clear: false);
        Combine(backend, op, x, y, t);
        return t;
    }

    private static Tensor Map<TOp>(IBackend backend, TOp op, Tensor x) where TOp : struct, IUnaryOperator
    {
        var t = Tensor.Create(x.ShapeArray, x.Device, clear: false);
        backend.Map(op, x.Data, t.Data);
        return t;
    }

    private static void Reduce(IBackend backend, Tensor g, Tensor input) => backend.SumToShape(g.Data, g.Shape, GradOf(input), input.Shape);
}
