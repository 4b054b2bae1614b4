namespace Trilobite.Autograd.Ops;

/// <summary>y = x for x &gt; 0, α·x otherwise; dx += dy·(1 or α).</summary>
public sealed class LeakyReluOp : Op
{
    private readonly float _alpha;

    private LeakyReluOp(Tensor x, float alpha) : base([x]) => _alpha = alpha;

    public static Tensor Apply(Tensor x, float alpha)
    {
        var y = Tensor.Create(x.ShapeArray, clear: false);
        ReadOnlySpan<float> s = x.Span;
        Span<float> d = y.Span;
        for (int i = 0; i < s.Length; i++) d[i] = s[i] > 0 ? s[i] : alpha * s[i];
        return ShouldRecord(x) ? Attach(y, new LeakyReluOp(x, alpha)) : y;
    }

    protected internal override void Backward(Tensor dy)
    {
        Span<float> dx = GradOf(Inputs[0]);
        ReadOnlySpan<float> x = Inputs[0].Span, g = dy.Span;
        for (int i = 0; i < dx.Length; i++) dx[i] += x[i] > 0 ? g[i] : _alpha * g[i];
    }
}
