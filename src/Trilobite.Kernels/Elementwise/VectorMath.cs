using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace Trilobite.Kernels;

/// <summary>
/// Float functions that neither <see cref="MathF"/> nor TensorPrimitives offer per vector, written once for one value
/// and once for eight lanes with the same operations. The scalar forms take e^x from the vector routine too, so an
/// element's value does not depend on whether it fell in the vector body or the tail (nor on the tensor's length).
/// </summary>
public static class VectorMath
{
    /// <summary>e^x as <see cref="Vector256.Exp(Vector256{float})"/> computes it (it differs from MathF.Exp in the last bit).</summary>
    public static float Exp(float x) => Vector256.IsHardwareAccelerated ? Vector256.Exp(Vector256.Create(x)).ToScalar() : MathF.Exp(x);

    // Below this |x|, eˣ − 1 loses digits to cancellation and the Taylor series x + x²/2 + … + x⁵/120 is exact in float.
    private const float ExpM1SeriesLimit = 0.125f;

    /// <summary>eˣ − 1, without the cancellation of the naive form near 0.</summary>
    public static float ExpM1(float x)
    {
        if (MathF.Abs(x) >= ExpM1SeriesLimit) return Exp(x) - 1;
        return x * (1 + x * (0.5f + x * (1 / 6f + x * (1 / 24f + x * (1 / 120f)))));
    }

    /// <summary>eˣ − 1 per lane: the scalar form's series where |x| &lt; 0.125, eˣ − 1 elsewhere.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> ExpM1(Vector256<float> x)
    {
        var series = x * (Vector256<float>.One + x * (Vector256.Create(0.5f) + x * (Vector256.Create(1 / 6f) + x * (Vector256.Create(1 / 24f) + x * Vector256.Create(1 / 120f)))));
        var small = Vector256.LessThan(Vector256.Abs(x), Vector256.Create(ExpM1SeriesLimit));
        return Vector256.ConditionalSelect(small, series, Vector256.Exp(x) - Vector256<float>.One);
    }

    // Below this, log(1 + e) rounds 1 + e and loses e's digits; e − e²/2 is exact there to float precision.
    private const float Log1pSeriesLimit = 1e-4f;

    /// <summary>log(1 + e) for e ≥ 0, without the rounding of 1 + e for tiny e.</summary>
    public static float Log1p(float e) => e < Log1pSeriesLimit ? e - 0.5f * e * e : Log(1 + e);

    /// <summary>ln x as <see cref="Vector256.Log(Vector256{float})"/> computes it.</summary>
    public static float Log(float x) => Vector256.IsHardwareAccelerated ? Vector256.Log(Vector256.Create(x)).ToScalar() : MathF.Log(x);

    /// <summary>log(1 + e) per lane for e ≥ 0, as the scalar form computes it.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> Log1p(Vector256<float> e) =>
        Vector256.ConditionalSelect(Vector256.LessThan(e, Vector256.Create(Log1pSeriesLimit)), e - Vector256.Create(0.5f) * e * e,
            Vector256.Log(Vector256<float>.One + e));

    /// <summary>Φ(x), the standard normal CDF, from Numerical Recipes' erfc (fractional error below 1.2·10⁻⁷).</summary>
    public static float NormalCdf(float x)
    {
        float z = MathF.Abs(x) * InverseSqrt2, t = 1 / (1 + 0.5f * z);
        float halfTail = 0.5f * t * Exp(-z * z + ErfcPolynomial(t));
        return x >= 0 ? 1 - halfTail : halfTail;
    }

    /// <summary>Φ(x) per lane, with the scalar form's erfc approximation.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> NormalCdf(Vector256<float> x)
    {
        var z = Vector256.Abs(x) * Vector256.Create(InverseSqrt2);
        var t = Vector256<float>.One / (Vector256<float>.One + Vector256.Create(0.5f) * z);
        var halfTail = Vector256.Create(0.5f) * t * Vector256.Exp(-z * z + ErfcPolynomial(t));
        return Vector256.ConditionalSelect(Vector256.GreaterThanOrEqual(x, Vector256<float>.Zero), Vector256<float>.One - halfTail, halfTail);
    }

    /// <summary>φ(x) = e^(−x²/2)/√(2π), the standard normal density.</summary>
    public static float NormalPdf(float x) => Exp(-0.5f * x * x) * InverseSqrt2Pi;

    /// <summary>φ(x) = e^(−x²/2)/√(2π) per lane.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> NormalPdf(Vector256<float> x) => Vector256.Exp(Vector256.Create(-0.5f) * x * x) * Vector256.Create(InverseSqrt2Pi);

    private const float InverseSqrt2 = 0.70710678118654752f;
    private const float InverseSqrt2Pi = 0.39894228040143268f;

    private static float ErfcPolynomial(float t) =>
        -1.26551223f + t * (1.00002368f + t * (0.37409196f + t * (0.09678418f + t * (-0.18628806f + t * (0.27886807f
        + t * (-1.13520398f + t * (1.48851587f + t * (-0.82215223f + t * 0.17087277f))))))));

    private static Vector256<float> ErfcPolynomial(Vector256<float> t) =>
        Vector256.Create(-1.26551223f) + t * (Vector256.Create(1.00002368f) + t * (Vector256.Create(0.37409196f) + t * (Vector256.Create(0.09678418f)
        + t * (Vector256.Create(-0.18628806f) + t * (Vector256.Create(0.27886807f) + t * (Vector256.Create(-1.13520398f)
        + t * (Vector256.Create(1.48851587f) + t * (Vector256.Create(-0.82215223f) + t * Vector256.Create(0.17087277f)))))))));
}
