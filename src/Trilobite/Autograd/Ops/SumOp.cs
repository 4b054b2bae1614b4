namespace Trilobite.Autograd.Ops;

/// <summary>
/// y = Σ x over one axis, times <c>scale</c> (1/n gives the mean); the axis is kept as size 1 or
/// dropped. dx += scale·dy broadcast back along the axis.
/// </summary>
public sealed class SumOp : Op
{
    private readonly int _outer, _axis, _inner;
    private readonly float _scale;

    private SumOp(Tensor x, int outer, int axis, int inner, float scale) : base([x]) =>
        (_outer, _axis, _inner, _scale) = (outer, axis, inner, scale);

    /// <summary>scale·Σ x over <paramref name="axis"/> (negative counts from the end), kept as size 1 when <paramref name="keepDims"/>.</summary>
    public static Tensor Apply(Tensor x, int axis, bool keepDims, float scale)
    {
        int a = x.NormalizeAxis(axis);
        int outer = 1, inner = 1;
        for (int d = 0; d < a; d++) outer *= x.Dim(d);
        for (int d = a + 1; d < x.Rank; d++) inner *= x.Dim(d);
        var shape = x.ShapeArray.ToList();
        if (keepDims) shape[a] = 1; else shape.RemoveAt(a);
        var y = Tensor.Create([.. shape], x.Device, clear: false);
        x.Backend.Sum(x.Data, outer, x.Dim(a), inner, scale, y.Data);
        return ShouldRecord(x) ? Attach(y, new SumOp(x, outer, x.Dim(a), inner, scale)) : y;
    }

    /// <inheritdoc/>
    protected internal override void Backward(Tensor dy) =>
        dy.Backend.SumBackward(dy.Data, _outer, _axis, _inner, _scale, GradOf(Inputs[0]));
}
