namespace Trilobite.Kernels;

/// <summary>
/// Double-precision functions that <see cref="Math"/> lacks, for the operators' reference forms: accurate to a few
/// units in the last place of a double, far below float's resolution, so they can judge the float kernels.
/// </summary>
public static class ReferenceMath
{
    /// <summary>eˣ − 1 (the naive form cancels for tiny x; below 10⁻⁵ the cubic Taylor polynomial is exact in double).</summary>
    public static double ExpM1(double x) => Math.Abs(x) < 1e-5 ? x + x * x / 2 + x * x * x / 6 : Math.Exp(x) - 1;

    /// <summary>log(1 + x) for x ≥ 0 (below 10⁻⁴ by its Taylor series, which 1 + x would round away).</summary>
    public static double Log1p(double x) => x < 1e-4 ? x - x * x / 2 + x * x * x / 3 : Math.Log(1 + x);

    /// <summary>Φ(x) = ½·erfc(−x/√2), computed from the tail that is small, so it keeps relative accuracy for x ≪ 0.</summary>
    public static double NormalCdf(double x)
    {
        double tail = 0.5 * Erfc(Math.Abs(x) / Math.Sqrt(2));
        return x >= 0 ? 1 - tail : tail;
    }

    /// <summary>erf(z).</summary>
    public static double Erf(double z) => z < 0 ? -Erf(-z) : z < 3 ? ErfSeries(z) : 1 - ErfcContinuedFraction(z);

    /// <summary>erfc(z) = 1 − erf(z), without cancellation for large z.</summary>
    public static double Erfc(double z) => z < 0 ? 2 - Erfc(-z) : z < 3 ? 1 - ErfSeries(z) : ErfcContinuedFraction(z);

    /// <summary>erf z = (2/√π)·e^(−z²)·Σ 2ⁿz^(2n+1)/(1·3·…·(2n+1)): every term positive, so nothing cancels (z ≥ 0).</summary>
    private static double ErfSeries(double z)
    {
        double term = z, sum = z;
        for (int n = 1; n < 200 && term > sum * 1e-17; n++)
        {
            term *= 2 * z * z / (2 * n + 1);
            sum += term;
        }
        return 2 / Math.Sqrt(Math.PI) * Math.Exp(-z * z) * sum;
    }

    /// <summary>erfc z = e^(−z²)/√π · 1/(z + (1/2)/(z + 1/(z + (3/2)/(z + …)))), evaluated from depth 80 up (z ≥ 3).</summary>
    private static double ErfcContinuedFraction(double z)
    {
        double f = z;
        for (int k = 80; k >= 1; k--) f = z + k / 2.0 / f;
        return Math.Exp(-z * z) / Math.Sqrt(Math.PI) / f;
    }
}
