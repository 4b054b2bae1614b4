namespace Trilobite.Autograd.Ops;

/// <summary>
/// Exact GELU as Keras's default (approximate=False): y = x·Φ(x) with Φ the standard normal CDF;
/// dx += dy·(Φ(x) + x·φ(x)).
/// </summary>
public sealed class GeluOp : Op
{
    private GeluOp(Tensor x) : base([x]) { }

    public static Tensor Apply(Tensor x)
    {
        var y = Tensor.Create(x.ShapeArray, clear: false);
        ReadOnlySpan<float> s = x.Span;
        Span<float> d = y.Span;
        for (int i = 0; i < s.Length; i++) d[i] = (float)(s[i] * Cdf(s[i]));
        return ShouldRecord(x) ? Attach(y, new GeluOp(x)) : y;
    }

    protected internal override void Backward(Tensor dy)
    {
        Span<float> dx = GradOf(Inputs[0]);
        ReadOnlySpan<float> x = Inputs[0].Span, g = dy.Span;
        for (int i = 0; i < dx.Length; i++)
        {
            double v = x[i], pdf = Math.Exp(-0.5 * v * v) / Math.Sqrt(2 * Math.PI);
            dx[i] += (float)(g[i] * (Cdf(v) + v * pdf));
        }
    }

    private static double Cdf(double v) => 0.5 * (1 + Erf(v / Math.Sqrt(2)));

    private static double Erf(double z)
    {
        // Numerical Recipes erfc with fractional error < 1.2e-7.
        double t = 1.0 / (1.0 + 0.5 * Math.Abs(z));
        double r = t * Math.Exp(-z * z - 1.26551223 + t * (1.00002368 + t * (0.37409196 + t * (0.09678418 +
            t * (-0.18628806 + t * (0.27886807 + t * (-1.13520398 + t * (1.48851587 + t * (-0.82215223 + t * 0.17087277)))))))));
        return z >= 0 ? 1 - r : r - 1;
    }
}
