using Trilobite.Kernels;

namespace Trilobite.Autograd.Ops;

/// <summary>
/// y = f(x) for an elementwise operator struct (ReLU, Sigmoid, Tanh, LeakyReLU, ELU, GELU, Exp, Log, Abs, scaling):
/// forward and backward are the backend's <c>Map</c> and <c>MapBackward</c> over the operator, so a new activation is a
/// new struct in <c>Trilobite.Kernels/Elementwise/Operators</c> and one line in Tensor.Ops.cs.
/// </summary>
public sealed class ElementwiseOp<TOp> : Op where TOp : struct, IUnaryOperator
{
    private readonly TOp _operator;

    private ElementwiseOp(TOp op, Tensor x) : base([x]) => _operator = op;

    /// <summary>The operator this op applies (its parameters included).</summary>
    public TOp Operator => _operator;

    /// <summary>The operator's name ("ReLU", "Scale").</summary>
    public override string Name => _operator.Name;

    /// <summary>y = op(x) elementwise, of x's shape.</summary>
    public static Tensor Apply(TOp op, Tensor x)
    {
        var y = Tensor.Create(x.ShapeArray, x.Device, clear: false);
        x.Backend.Map(op, x.Data, y.Data);
        return ShouldRecord(x) ? Attach(y, new ElementwiseOp<TOp>(op, x)) : y;
    }

    /// <inheritdoc/>
    protected internal override void Backward(Tensor dy) =>
        Output.Backend.MapBackward(_operator, Inputs[0].Data, Output.Data, dy.Data, GradOf(Inputs[0]));
}
