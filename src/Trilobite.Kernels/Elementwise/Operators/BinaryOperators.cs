using System.Numerics.Tensors;

namespace Trilobite.Kernels;

/// <summary>y = a + b.</summary>
public readonly struct AddOperator : IBinaryOperator
{
    /// <inheritdoc/>
    public string Name => "Add";
    /// <inheritdoc/>
    public float Invoke(float a, float b) => a + b;
    /// <inheritdoc/>
    public void Invoke(ReadOnlySpan<float> a, ReadOnlySpan<float> b, Span<float> y) => TensorPrimitives.Add(a, b, y);
    /// <inheritdoc/>
    public void Invoke(ReadOnlySpan<float> a, float b, Span<float> y) => TensorPrimitives.Add(a, b, y);
    /// <inheritdoc/>
    public void Invoke(float a, ReadOnlySpan<float> b, Span<float> y) => TensorPrimitives.Add(b, a, y);
    /// <inheritdoc/>
    public double Reference(double a, double b) => a + b;
}

/// <summary>y = a − b.</summary>
public readonly struct SubtractOperator : IBinaryOperator
{
    /// <inheritdoc/>
    public string Name => "Subtract";
    /// <inheritdoc/>
    public float Invoke(float a, float b) => a - b;
    /// <inheritdoc/>
    public void Invoke(ReadOnlySpan<float> a, ReadOnlySpan<float> b, Span<float> y) => TensorPrimitives.Subtract(a, b, y);
    /// <inheritdoc/>
    public void Invoke(ReadOnlySpan<float> a, float b, Span<float> y) => TensorPrimitives.Subtract(a, b, y);
    /// <inheritdoc/>
    public void Invoke(float a, ReadOnlySpan<float> b, Span<float> y) => TensorPrimitives.Subtract(a, b, y);
    /// <inheritdoc/>
    public double Reference(double a, double b) => a - b;
}

/// <summary>y = a·b.</summary>
public readonly struct MultiplyOperator : IBinaryOperator
{
    /// <inheritdoc/>
    public string Name => "Multiply";
    /// <inheritdoc/>
    public float Invoke(float a, float b) => a * b;
    /// <inheritdoc/>
    public void Invoke(ReadOnlySpan<float> a, ReadOnlySpan<float> b, Span<float> y) => TensorPrimitives.Multiply(a, b, y);
    /// <inheritdoc/>
    public void Invoke(ReadOnlySpan<float> a, float b, Span<float> y) => TensorPrimitives.Multiply(a, b, y);
    /// <inheritdoc/>
    public void Invoke(float a, ReadOnlySpan<float> b, Span<float> y) => TensorPrimitives.Multiply(b, a, y);
    /// <inheritdoc/>
    public double Reference(double a, double b) => a * b;
}

/// <summary>y = a/b.</summary>
public readonly struct DivideOperator : IBinaryOperator
{
    /// <inheritdoc/>
    public string Name => "Divide";
    /// <inheritdoc/>
    public float Invoke(float a, float b) => a / b;
    /// <inheritdoc/>
    public void Invoke(ReadOnlySpan<float> a, ReadOnlySpan<float> b, Span<float> y) => TensorPrimitives.Divide(a, b, y);
    /// <inheritdoc/>
    public void Invoke(ReadOnlySpan<float> a, float b, Span<float> y) => TensorPrimitives.Divide(a, b, y);
    /// <inheritdoc/>
    public void Invoke(float a, ReadOnlySpan<float> b, Span<float> y) => TensorPrimitives.Divide(a, b, y);
    /// <inheritdoc/>
    public double Reference(double a, double b) => a / b;
}
