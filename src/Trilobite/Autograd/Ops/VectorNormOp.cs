namespace Trilobite.Autograd.Ops;

/// <summary>
/// The Euclidean length ‖x‖ along one axis, which it removes (a capsule's length: the probability that its entity is
/// present). dx += dy·x/‖x‖, and 0 at the zero vector, where √ has no derivative (a naive √(Σx²) gives NaN there).
/// </summary>
public sealed class VectorNormOp : Op
{
    private readonly AxisSplit _split;

    private VectorNormOp(Tensor x, AxisSplit split) : base([x]) => _split = split;

    /// <summary>‖x‖ along <paramref name="axis"/> (negative counts from the end): x's shape without that axis.</summary>
    public static Tensor Apply(Tensor x, int axis)
    {
        var split = AxisSplit.Of(x, axis);
        var shape = x.ShapeArray.ToList();
        shape.RemoveAt(split.Index);
        var y = Tensor.Create([.. shape], x.Device, clear: false);
        x.Backend.VectorNorm(x.Data, split.Outer, split.Axis, split.Inner, y.Data);
        return ShouldRecord(x) ? Attach(y, new VectorNormOp(x, split)) : y;
    }

    /// <inheritdoc/>
    protected internal override void Backward(Tensor dy) =>
        dy.Backend.VectorNormBackward(Inputs[0].Data, Output.Data, dy.Data, _split.Outer, _split.Axis, _split.Inner, GradOf(Inputs[0]));
}
