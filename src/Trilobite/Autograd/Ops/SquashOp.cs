namespace Trilobite.Autograd.Ops;

/// <summary>
/// The capsule squash along one axis, v = ‖s‖²/(1 + ‖s‖²)·s/‖s‖ (Sabour et al. 2017, eq. 1): short vectors shrink to
/// almost 0, long ones to just under 1. Value and gradient are exactly 0 at s = 0, where the formula reads 0/0.
/// </summary>
public sealed class SquashOp : Op
{
    private readonly AxisSplit _split;

    private SquashOp(Tensor s, AxisSplit split) : base([s]) => _split = split;

    /// <summary>squash(s) along <paramref name="axis"/> (negative counts from the end), of s's shape.</summary>
    public static Tensor Apply(Tensor s, int axis)
    {
        var split = AxisSplit.Of(s, axis);
        var v = Tensor.Create(s.ShapeArray, s.Device, clear: false);
        s.Backend.Squash(s.Data, split.Outer, split.Axis, split.Inner, v.Data);
        return ShouldRecord(s) ? Attach(v, new SquashOp(s, split)) : v;
    }

    /// <inheritdoc/>
    protected internal override void Backward(Tensor dv) =>
        dv.Backend.SquashBackward(Inputs[0].Data, dv.Data, _split.Outer, _split.Axis, _split.Inner, GradOf(Inputs[0]));
}
