using System.Numerics.Tensors;
using System.Runtime.Intrinsics;

namespace Trilobite.Kernels;

/// <summary>y = eˣ; dx += dy·y.</summary>
public readonly struct ExpOperator : IUnaryOperator
{
    public string Name => "Exp";

    public void Forward(ReadOnlySpan<float> x, Span<float> y) => TensorPrimitives.Exp(x, y);

    public void Backward(ReadOnlySpan<float> x, ReadOnlySpan<float> y, ReadOnlySpan<float> dy, Span<float> dx) => TensorPrimitives.MultiplyAdd(dy, y, dx, dx);

    public double Reference(double x) => Math.Exp(x);

    public double ReferenceGradient(double x, double dy) => dy * Math.Exp(x);
}

/// <summary>y = ln x; dx += dy/x.</summary>
public readonly struct LogOperator : IUnaryOperator, IVectorGradient
{
    public string Name => "Log";

    public void Forward(ReadOnlySpan<float> x, Span<float> y) => TensorPrimitives.Log(x, y);

    public void Backward(ReadOnlySpan<float> x, ReadOnlySpan<float> y, ReadOnlySpan<float> dy, Span<float> dx) => VectorLoop.AddGradient(this, x, y, dy, dx);

    public float Gradient(float x, float y, float dy) => dy / x;

    public Vector256<float> Gradient(Vector256<float> x, Vector256<float> y, Vector256<float> dy) => dy / x;

    public double Reference(double x) => Math.Log(x);

    public double ReferenceGradient(double x, double dy) => dy / x;
}

/// <summary>y = |x|; dx += dy·sign(x), 0 at x = 0 (and for NaN), as TensorFlow's Abs gradient.</summary>
public readonly struct AbsOperator : IUnaryOperator, IVectorGradient
{
    public string Name => "Abs";

    public void Forward(ReadOnlySpan<float> x, Span<float> y) => TensorPrimitives.Abs(x, y);

    public void Backward(ReadOnlySpan<float> x, ReadOnlySpan<float> y, ReadOnlySpan<float> dy, Span<float> dx) => VectorLoop.AddGradient(this, x, y, dy, dx);

    public float Gradient(float x, float y, float dy) => x > 0 ? dy : x < 0 ? -dy : 0;

    public Vector256<float> Gradient(Vector256<float> x, Vector256<float> y, Vector256<float> dy) =>
        (dy & Vector256.GreaterThan(x, Vector256<float>.Zero)) - (dy & Vector256.LessThan(x, Vector256<float>.Zero));

    public double Reference(double x) => Math.Abs(x);

    public double ReferenceGradient(double x, double dy) => x > 0 ? dy : x < 0 ? -dy : 0;
}

/// <summary>y = s·x for a constant s; dx += s·dy.</summary>
public readonly struct ScaleOperator(float scale) : IUnaryOperator
{
    public float Scale { get; } = scale;

    public string Name => "Scale";

    public void Forward(ReadOnlySpan<float> x, Span<float> y) => TensorPrimitives.Multiply(x, Scale, y);

    public void Backward(ReadOnlySpan<float> x, ReadOnlySpan<float> y, ReadOnlySpan<float> dy, Span<float> dx) => TensorPrimitives.MultiplyAdd(dy, Scale, dx, dx);

    public double Reference(double x) => Scale * x;

    public double ReferenceGradient(double x, double dy) => Scale * dy;
}

/// <summary>y = x + c for a constant c; dx += dy.</summary>
public readonly struct ShiftOperator(float shift) : IUnaryOperator
{
    public float Shift { get; } = shift;

    public string Name => "Shift";

    public void Forward(ReadOnlySpan<float> x, Span<float> y) => TensorPrimitives.Add(x, Shift, y);

    public void Backward(ReadOnlySpan<float> x, ReadOnlySpan<float> y, ReadOnlySpan<float> dy, Span<float> dx) => TensorPrimitives.Add(dx, dy, dx);

    public double Reference(double x) => x + Shift;

    public double ReferenceGradient(double x, double dy) => dy;
}
