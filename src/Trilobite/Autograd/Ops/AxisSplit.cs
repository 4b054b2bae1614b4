namespace Trilobite.Autograd.Ops;

/// <summary>A tensor viewed as (outer, axis, inner) around one of its axes: how every along-an-axis kernel sees it.</summary>
internal readonly record struct AxisSplit(int Outer, int Axis, int Inner, int Index)
{
    /// <summary>The split of <paramref name="x"/> around <paramref name="axis"/> (negative counts from the end).</summary>
    public static AxisSplit Of(Tensor x, int axis)
    {
        int a = x.NormalizeAxis(axis), outer = 1, inner = 1;
        for (int d = 0; d < a; d++) outer *= x.Dim(d);
        for (int d = a + 1; d < x.Rank; d++) inner *= x.Dim(d);
        return new AxisSplit(outer, x.Dim(a), inner, a);
    }
}
