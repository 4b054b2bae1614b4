using System.Numerics.Tensors;
using System.Runtime.Intrinsics;

namespace Trilobite.Kernels;

/// <summary>ReLU: y = max(x, 0) (NaN stays NaN); dx += dy where y &gt; 0.</summary>
public readonly struct ReluOperator : IUnaryOperator
{
    /// <inheritdoc/>
    public string Name => "ReLU";

    /// <inheritdoc/>
    public void Forward(ReadOnlySpan<float> x, Span<float> y) => TensorPrimitives.Max(x, 0f, y);

    /// <summary>dx += dy where y &gt; 0, read from the output (what a fused convolution keeps); throws <see cref="ArgumentException"/> when the lengths differ.</summary>
    public unsafe void Backward(ReadOnlySpan<float> x, ReadOnlySpan<float> y, ReadOnlySpan<float> dy, Span<float> dx)
    {
        // From the output: y > 0 exactly where x > 0, and the output is what the fused convolution keeps.
        if (y.Length != dx.Length || dy.Length != dx.Length) throw new ArgumentException($"ReLU backward: {y.Length} outputs, {dy.Length} output gradients and {dx.Length} input gradients differ.");
        fixed (float* py = y, pg = dy, pd = dx)
        {
            int i = 0, n = dx.Length;
            if (Vector256.IsHardwareAccelerated)
                for (; i <= n - 8; i += 8)
                {
                    var positive = Vector256.GreaterThan(Vector256.Load(py + i), Vector256<float>.Zero);
                    (Vector256.Load(pd + i) + (Vector256.Load(pg + i) & positive)).Store(pd + i);
                }
            for (; i < n; i++) if (py[i] > 0) pd[i] += pg[i];
        }
    }

    /// <inheritdoc/>
    public double Reference(double x) => Math.Max(x, 0);

    /// <inheritdoc/>
    public double ReferenceGradient(double x, double dy) => x > 0 ? dy : 0;
}

/// <summary>Leaky ReLU: y = x for x &gt; 0, α·x otherwise (Keras's default α = 0.2 in its activation); dx += dy·(1 or α).</summary>
public readonly struct LeakyReluOperator(float alpha) : IUnaryOperator, IVectorFunction, IVectorGradient
{
    /// <summary>α, the slope for x ≤ 0.</summary>
    public float Alpha { get; } = alpha;

    /// <inheritdoc/>
    public string Name => "LeakyReLU";

    /// <inheritdoc/>
    public void Forward(ReadOnlySpan<float> x, Span<float> y) => VectorLoop.Map(this, x, y);

    /// <inheritdoc/>
    public void Backward(ReadOnlySpan<float> x, ReadOnlySpan<float> y, ReadOnlySpan<float> dy, Span<float> dx) => VectorLoop.AddGradient(this, x, y, dy, dx);

    /// <inheritdoc/>
    public float Value(float x) => x > 0 ? x : Alpha * x;

    /// <inheritdoc/>
    public Vector256<float> Value(Vector256<float> x) => Vector256.ConditionalSelect(Vector256.GreaterThan(x, Vector256<float>.Zero), x, Vector256.Create(Alpha) * x);

    /// <inheritdoc/>
    public float Gradient(float x, float y, float dy) => x > 0 ? dy : Alpha * dy;

    /// <inheritdoc/>
    public Vector256<float> Gradient(Vector256<float> x, Vector256<float> y, Vector256<float> dy) =>
        Vector256.ConditionalSelect(Vector256.GreaterThan(x, Vector256<float>.Zero), dy, Vector256.Create(Alpha) * dy);

    /// <inheritdoc/>
    public double Reference(double x) => x > 0 ? x : Alpha * x;

    /// <inheritdoc/>
    public double ReferenceGradient(double x, double dy) => x > 0 ? dy : Alpha * dy;
}

/// <summary>ELU: y = x for x &gt; 0, α(eˣ − 1) otherwise; dx += dy·(1 or y + α).</summary>
public readonly struct EluOperator(float alpha) : IUnaryOperator, IVectorFunction, IVectorGradient
{
    /// <summary>α, the value eˣ − 1 is scaled by for x ≤ 0 (the limit as x → −∞ is −α).</summary>
    public float Alpha { get; } = alpha;

    /// <inheritdoc/>
    public string Name => "ELU";

    /// <inheritdoc/>
    public void Forward(ReadOnlySpan<float> x, Span<float> y) => VectorLoop.Map(this, x, y);

    /// <inheritdoc/>
    public void Backward(ReadOnlySpan<float> x, ReadOnlySpan<float> y, ReadOnlySpan<float> dy, Span<float> dx) => VectorLoop.AddGradient(this, x, y, dy, dx);

    /// <inheritdoc/>
    public float Value(float x) => x > 0 ? x : Alpha * VectorMath.ExpM1(x);

    /// <inheritdoc/>
    public Vector256<float> Value(Vector256<float> x) =>
        Vector256.ConditionalSelect(Vector256.GreaterThan(x, Vector256<float>.Zero), x, Vector256.Create(Alpha) * VectorMath.ExpM1(x));

    /// <inheritdoc/>
    public float Gradient(float x, float y, float dy) => x > 0 ? dy : dy * (y + Alpha);

    /// <inheritdoc/>
    public Vector256<float> Gradient(Vector256<float> x, Vector256<float> y, Vector256<float> dy) =>
        Vector256.ConditionalSelect(Vector256.GreaterThan(x, Vector256<float>.Zero), dy, dy * (y + Vector256.Create(Alpha)));

    /// <inheritdoc/>
    public double Reference(double x) => x > 0 ? x : Alpha * ReferenceMath.ExpM1(x);

    /// <inheritdoc/>
    public double ReferenceGradient(double x, double dy) => x > 0 ? dy : dy * Alpha * Math.Exp(x);
}

/// <summary>
/// Exact GELU, Keras's default (approximate=False): y = x·Φ(x) with Φ the standard normal CDF; dx += dy·(Φ(x) + x·φ(x)).
/// </summary>
public readonly struct GeluOperator : IUnaryOperator, IVectorFunction, IVectorGradient
{
    /// <inheritdoc/>
    public string Name => "GELU";

    /// <inheritdoc/>
    public void Forward(ReadOnlySpan<float> x, Span<float> y) => VectorLoop.Map(this, x, y);

    /// <inheritdoc/>
    public void Backward(ReadOnlySpan<float> x, ReadOnlySpan<float> y, ReadOnlySpan<float> dy, Span<float> dx) => VectorLoop.AddGradient(this, x, y, dy, dx);

    /// <inheritdoc/>
    public float Value(float x) => x * VectorMath.NormalCdf(x);

    /// <inheritdoc/>
    public Vector256<float> Value(Vector256<float> x) => x * VectorMath.NormalCdf(x);

    /// <inheritdoc/>
    public float Gradient(float x, float y, float dy) => dy * (VectorMath.NormalCdf(x) + x * VectorMath.NormalPdf(x));

    /// <inheritdoc/>
    public Vector256<float> Gradient(Vector256<float> x, Vector256<float> y, Vector256<float> dy) =>
        dy * (VectorMath.NormalCdf(x) + x * VectorMath.NormalPdf(x));

    /// <inheritdoc/>
    public double Reference(double x) => x * ReferenceMath.NormalCdf(x);

    /// <inheritdoc/>
    public double ReferenceGradient(double x, double dy) => dy * (ReferenceMath.NormalCdf(x) + x * Math.Exp(-0.5 * x * x) / Math.Sqrt(2 * Math.PI));
}

/// <summary>Sigmoid: y = 1/(1 + e^(−x)); dx += dy·y·(1 − y).</summary>
public readonly struct SigmoidOperator : IUnaryOperator, IVectorGradient
{
    /// <inheritdoc/>
    public string Name => "Sigmoid";

    /// <inheritdoc/>
    public void Forward(ReadOnlySpan<float> x, Span<float> y) => TensorPrimitives.Sigmoid(x, y);

    /// <inheritdoc/>
    public void Backward(ReadOnlySpan<float> x, ReadOnlySpan<float> y, ReadOnlySpan<float> dy, Span<float> dx) => VectorLoop.AddGradient(this, x, y, dy, dx);

    /// <inheritdoc/>
    public float Gradient(float x, float y, float dy) => dy * y * (1 - y);

    /// <inheritdoc/>
    public Vector256<float> Gradient(Vector256<float> x, Vector256<float> y, Vector256<float> dy) => dy * y * (Vector256<float>.One - y);

    /// <inheritdoc/>
    public double Reference(double x) => 1 / (1 + Math.Exp(-x));

    /// <inheritdoc/>
    public double ReferenceGradient(double x, double dy)
    {
        double s = Reference(x);
        return dy * s * (1 - s);
    }
}

/// <summary>tanh: dx += dy·(1 − y²).</summary>
public readonly struct TanhOperator : IUnaryOperator, IVectorGradient
{
    /// <inheritdoc/>
    public string Name => "Tanh";

    /// <inheritdoc/>
    public void Forward(ReadOnlySpan<float> x, Span<float> y) => TensorPrimitives.Tanh(x, y);

    /// <inheritdoc/>
    public void Backward(ReadOnlySpan<float> x, ReadOnlySpan<float> y, ReadOnlySpan<float> dy, Span<float> dx) => VectorLoop.AddGradient(this, x, y, dy, dx);

    /// <inheritdoc/>
    public float Gradient(float x, float y, float dy) => dy * (1 - y * y);

    /// <inheritdoc/>
    public Vector256<float> Gradient(Vector256<float> x, Vector256<float> y, Vector256<float> dy) => dy * (Vector256<float>.One - y * y);

    /// <inheritdoc/>
    public double Reference(double x) => Math.Tanh(x);

    /// <inheritdoc/>
    public double ReferenceGradient(double x, double dy)
    {
        double t = Math.Tanh(x);
        return dy * (1 - t * t);
    }
}
