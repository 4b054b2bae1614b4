using System.Numerics.Tensors;
using System.Runtime.Intrinsics;

namespace Trilobite.Kernels;

/// <summary>y = eˣ; dx += dy·y.</summary>
public readonly struct ExpOperator : IUnaryOperator
{
    /// <inheritdoc/>
    public string Name => "Exp";

    /// <inheritdoc/>
    public void Forward(ReadOnlySpan<float> x, Span<float> y) => TensorPrimitives.Exp(x, y);

    /// <inheritdoc/>
    public void Backward(ReadOnlySpan<float> x, ReadOnlySpan<float> y, ReadOnlySpan<float> dy, Span<float> dx) => TensorPrimitives.MultiplyAdd(dy, y, dx, dx);

    /// <inheritdoc/>
    public double Reference(double x) => Math.Exp(x);

    /// <inheritdoc/>
    public double ReferenceGradient(double x, double dy) => dy * Math.Exp(x);
}

/// <summary>y = ln x; dx += dy/x.</summary>
public readonly struct LogOperator : IUnaryOperator, IVectorGradient
{
    /// <inheritdoc/>
    public string Name => "Log";

    /// <inheritdoc/>
    public void Forward(ReadOnlySpan<float> x, Span<float> y) => TensorPrimitives.Log(x, y);

    /// <inheritdoc/>
    public void Backward(ReadOnlySpan<float> x, ReadOnlySpan<float> y, ReadOnlySpan<float> dy, Span<float> dx) => VectorLoop.AddGradient(this, x, y, dy, dx);

    /// <inheritdoc/>
    public float Gradient(float x, float y, float dy) => dy / x;

    /// <inheritdoc/>
    public Vector256<float> Gradient(Vector256<float> x, Vector256<float> y, Vector256<float> dy) => dy / x;

    /// <inheritdoc/>
    public double Reference(double x) => Math.Log(x);

    /// <inheritdoc/>
    public double ReferenceGradient(double x, double dy) => dy / x;
}

/// <summary>y = |x|; dx += dy·sign(x), 0 at x = 0 (and for NaN), as TensorFlow's Abs gradient.</summary>
public readonly struct AbsOperator : IUnaryOperator, IVectorGradient
{
    /// <inheritdoc/>
    public string Name => "Abs";

    /// <inheritdoc/>
    public void Forward(ReadOnlySpan<float> x, Span<float> y) => TensorPrimitives.Abs(x, y);

    /// <inheritdoc/>
    public void Backward(ReadOnlySpan<float> x, ReadOnlySpan<float> y, ReadOnlySpan<float> dy, Span<float> dx) => VectorLoop.AddGradient(this, x, y, dy, dx);

    /// <inheritdoc/>
    public float Gradient(float x, float y, float dy) => x > 0 ? dy : x < 0 ? -dy : 0;

    /// <inheritdoc/>
    public Vector256<float> Gradient(Vector256<float> x, Vector256<float> y, Vector256<float> dy) =>
        (dy & Vector256.GreaterThan(x, Vector256<float>.Zero)) - (dy & Vector256.LessThan(x, Vector256<float>.Zero));

    /// <inheritdoc/>
    public double Reference(double x) => Math.Abs(x);

    /// <inheritdoc/>
    public double ReferenceGradient(double x, double dy) => x > 0 ? dy : x < 0 ? -dy : 0;
}

/// <summary>y = s·x for a constant s; dx += s·dy.</summary>
public readonly struct ScaleOperator(float scale) : IUnaryOperator
{
    /// <summary>s, the factor every element is multiplied by.</summary>
    public float Scale { get; } = scale;

    /// <inheritdoc/>
    public string Name => "Scale";

    /// <inheritdoc/>
    public void Forward(ReadOnlySpan<float> x, Span<float> y) => TensorPrimitives.Multiply(x, Scale, y);

    /// <inheritdoc/>
    public void Backward(ReadOnlySpan<float> x, ReadOnlySpan<float> y, ReadOnlySpan<float> dy, Span<float> dx) => TensorPrimitives.MultiplyAdd(dy, Scale, dx, dx);

    /// <inheritdoc/>
    public double Reference(double x) => Scale * x;

    /// <inheritdoc/>
    public double ReferenceGradient(double x, double dy) => Scale * dy;
}

/// <summary>y = x + c for a constant c; dx += dy.</summary>
public readonly struct ShiftOperator(float shift) : IUnaryOperator
{
    /// <summary>c, the constant added to every element.</summary>
    public float Shift { get; } = shift;

    /// <inheritdoc/>
    public string Name => "Shift";

    /// <inheritdoc/>
    public void Forward(ReadOnlySpan<float> x, Span<float> y) => TensorPrimitives.Add(x, Shift, y);

    /// <inheritdoc/>
    public void Backward(ReadOnlySpan<float> x, ReadOnlySpan<float> y, ReadOnlySpan<float> dy, Span<float> dx) => TensorPrimitives.Add(dx, dy, dx);

    /// <inheritdoc/>
    public double Reference(double x) => x + Shift;

    /// <inheritdoc/>
    public double ReferenceGradient(double x, double dy) => dy;
}

/// <summary>
/// y = min(max(x, lo), hi) (NaN stays NaN); dx += dy where lo ≤ x ≤ hi and nothing where x was clipped, as
/// TensorFlow's clip_by_value: a saturated probability passes no gradient through Keras's cross-entropy.
/// </summary>
public readonly struct ClipOperator(float low, float high) : IUnaryOperator, IVectorFunction, IVectorGradient
{
    /// <summary>lo, the smallest value kept.</summary>
    public float Low { get; } = low;
    /// <summary>hi, the largest value kept.</summary>
    public float High { get; } = high;

    /// <inheritdoc/>
    public string Name => "Clip";

    /// <inheritdoc/>
    public void Forward(ReadOnlySpan<float> x, Span<float> y) => VectorLoop.Map(this, x, y);

    /// <inheritdoc/>
    public void Backward(ReadOnlySpan<float> x, ReadOnlySpan<float> y, ReadOnlySpan<float> dy, Span<float> dx) => VectorLoop.AddGradient(this, x, y, dy, dx);

    /// <inheritdoc/>
    public float Value(float x) => float.IsNaN(x) ? x : Math.Min(Math.Max(x, Low), High);

    /// <inheritdoc/>
    public Vector256<float> Value(Vector256<float> x)
    {
        var clipped = Vector256.Min(Vector256.Max(x, Vector256.Create(Low)), Vector256.Create(High));
        return Vector256.ConditionalSelect(Vector256.Equals(x, x), clipped, x);   // NaN lanes pass through
    }

    /// <inheritdoc/>
    public float Gradient(float x, float y, float dy) => x >= Low && x <= High ? dy : 0;

    /// <inheritdoc/>
    public Vector256<float> Gradient(Vector256<float> x, Vector256<float> y, Vector256<float> dy) =>
        dy & Vector256.GreaterThanOrEqual(x, Vector256.Create(Low)) & Vector256.LessThanOrEqual(x, Vector256.Create(High));

    /// <inheritdoc/>
    public double Reference(double x) => double.IsNaN(x) ? x : Math.Min(Math.Max(x, Low), High);

    /// <inheritdoc/>
    public double ReferenceGradient(double x, double dy) => x >= Low && x <= High ? dy : 0;
}

/// <summary>Softplus y = log(1 + eˣ), computed as max(x, 0) + log(1 + e^(−|x|)) so it neither overflows nor cancels; dx += dy·σ(x).</summary>
public readonly struct SoftplusOperator : IUnaryOperator, IVectorFunction, IVectorGradient
{
    /// <inheritdoc/>
    public string Name => "Softplus";

    /// <inheritdoc/>
    public void Forward(ReadOnlySpan<float> x, Span<float> y) => VectorLoop.Map(this, x, y);

    /// <inheritdoc/>
    public void Backward(ReadOnlySpan<float> x, ReadOnlySpan<float> y, ReadOnlySpan<float> dy, Span<float> dx) => VectorLoop.AddGradient(this, x, y, dy, dx);

    /// <inheritdoc/>
    public float Value(float x) => Math.Max(x, 0) + VectorMath.Log1p(VectorMath.Exp(-Math.Abs(x)));

    /// <inheritdoc/>
    public Vector256<float> Value(Vector256<float> x) =>
        Vector256.Max(x, Vector256<float>.Zero) + VectorMath.Log1p(Vector256.Exp(-Vector256.Abs(x)));

    /// <inheritdoc/>
    public float Gradient(float x, float y, float dy) => dy / (1 + VectorMath.Exp(-x));

    /// <inheritdoc/>
    public Vector256<float> Gradient(Vector256<float> x, Vector256<float> y, Vector256<float> dy) =>
        dy / (Vector256<float>.One + Vector256.Exp(-x));

    /// <inheritdoc/>
    public double Reference(double x) => Math.Max(x, 0) + ReferenceMath.Log1p(Math.Exp(-Math.Abs(x)));

    /// <inheritdoc/>
    public double ReferenceGradient(double x, double dy) => dy / (1 + Math.Exp(-x));
}
