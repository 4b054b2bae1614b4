namespace Trilobite.Kernels;

/// <summary>
/// An elementwise function y = f(x) as an operator struct (TensorPrimitives' pattern): the one definition of the
/// function that every backend runs. The Cpu backend calls <see cref="Forward"/> and <see cref="Backward"/> on
/// contiguous chunks (vectorised; one chunk per thread for large tensors); the Reference backend evaluates
/// <see cref="Reference"/> and <see cref="ReferenceGradient"/> in double, written from the formula; a GPU backend
/// keys its compiled kernel on the struct type. Parameters (LeakyReLU's α) are fields, so a generic call over the
/// struct is specialised and inlined by the JIT: no delegate, no allocation.
/// </summary>
public interface IUnaryOperator
{
    /// <summary>The function's name, as profiles and error messages print it ("ReLU", "Sigmoid").</summary>
    string Name { get; }

    /// <summary>y = f(x) over one chunk; x and y have the same length and may be the same memory.</summary>
    void Forward(ReadOnlySpan<float> x, Span<float> y);

    /// <summary>dx += dy·f′(x) over one chunk; y = f(x) is passed for functions whose derivative is cheaper from it.</summary>
    void Backward(ReadOnlySpan<float> x, ReadOnlySpan<float> y, ReadOnlySpan<float> dy, Span<float> dx);

    /// <summary>f(x) in double.</summary>
    double Reference(double x);

    /// <summary>The contribution dy·f′(x) to dx, in double (a selection, not a product, where f′ is 0 or 1: NaN·0 stays out).</summary>
    double ReferenceGradient(double x, double dy);
}

/// <summary>
/// An elementwise function of two operands, y = a ∘ b. The Cpu backend runs the span forms on chunks (same-length
/// operands, or one operand a scalar) and the scalar form where broadcasting walks strides; the Reference backend runs
/// <see cref="Reference"/>. The gradients are compositions (see BinaryOp), so no derivative lives here.
/// </summary>
public interface IBinaryOperator
{
    /// <summary>The operator's name, as profiles and error messages print it ("Add", "Divide").</summary>
    string Name { get; }

    /// <summary>a ∘ b for one pair of values (where broadcasting walks strides).</summary>
    float Invoke(float a, float b);

    /// <summary>y = a ∘ b over chunks of one length; y may alias a or b.</summary>
    void Invoke(ReadOnlySpan<float> a, ReadOnlySpan<float> b, Span<float> y);

    /// <summary>y = a ∘ b with b one value.</summary>
    void Invoke(ReadOnlySpan<float> a, float b, Span<float> y);

    /// <summary>y = a ∘ b with a one value.</summary>
    void Invoke(float a, ReadOnlySpan<float> b, Span<float> y);

    /// <summary>a ∘ b in double, for the Reference backend.</summary>
    double Reference(double a, double b);
}
