using System.Numerics.Tensors;

namespace Trilobite.Kernels;

/// <summary>y = a + b.</summary>
public readonly struct AddOperator : IBinaryOperator
{
    public string Name => "Add";
    public float Invoke(float a, float b) => a + b;
    public void Invoke(ReadOnlySpan<float> a, ReadOnlySpan<float> b, Span<float> y) => TensorPrimitives.Add(a, b, y);
    public void Invoke(ReadOnlySpan<float> a, float b, Span<float> y) => TensorPrimitives.Add(a, b, y);
    public void Invoke(float a, ReadOnlySpan<float> b, Span<float> y) => TensorPrimitives.Add(b, a, y);
    public double Reference(double a, double b) => a + b;
}

/// <summary>y = a − b.</summary>
public readonly struct SubtractOperator : IBinaryOperator
{
    public string Name => "Subtract";
    public float Invoke(float a, float b) => a - b;
    public void Invoke(ReadOnlySpan<float> a, ReadOnlySpan<float> b, Span<float> y) => TensorPrimitives.Subtract(a, b, y);
    public void Invoke(ReadOnlySpan<float> a, float b, Span<float> y) => TensorPrimitives.Subtract(a, b, y);
    public void Invoke(float a, ReadOnlySpan<float> b, Span<float> y) => TensorPrimitives.Subtract(a, b, y);
    public double Reference(double a, double b) => a - b;
}

/// <summary>y = a·b.</summary>
public readonly struct MultiplyOperator : IBinaryOperator
{
    public string Name => "Multiply";
    public float Invoke(float a, float b) => a * b;
    public void Invoke(ReadOnlySpan<float> a, ReadOnlySpan<float> b, Span<float> y) => TensorPrimitives.Multiply(a, b, y);
    public void Invoke(ReadOnlySpan<float> a, float b, Span<float> y) => TensorPrimitives.Multiply(a, b, y);
    public void Invoke(float a, ReadOnlySpan<float> b, Span<float> y) => TensorPrimitives.Multiply(b, a, y);
    public double Reference(double a, double b) => a * b;
}

/// <summary>y = a/b.</summary>
public readonly struct DivideOperator : IBinaryOperator
{
    public string Name => "Divide";
    public float Invoke(float a, float b) => a / b;
    public void Invoke(ReadOnlySpan<float> a, ReadOnlySpan<float> b, Span<float> y) => TensorPrimitives.Divide(a, b, y);
    public void Invoke(ReadOnlySpan<float> a, float b, Span<float> y) => TensorPrimitives.Divide(a, b, y);
    public void Invoke(float a, ReadOnlySpan<float> b, Span<float> y) => TensorPrimitives.Divide(a, b, y);
    public double Reference(double a, double b) => a / b;
}
