namespace Trilobite.Kernels;

/// <summary>
/// Runs operator structs over whole operands: checks the lengths once, then calls the operator's chunk form on the
/// whole span or, when it is large enough to pay for waking a worker, on one contiguous slice per thread (every operand
/// sliced at the same offsets, so aliasing operands stay safe). Results do not depend on the split: each element is
/// computed alone.
/// </summary>
public static unsafe class ElementwiseDriver
{
    /// <summary>y = f(x).</summary>
    public static void Forward<TOp>(TOp op, ReadOnlySpan<float> x, Span<float> y) where TOp : struct, IUnaryOperator
    {
        SameLength(op.Name, x.Length, y.Length);
        if (y.IsEmpty) return;   // some TensorPrimitives functions (Sigmoid) refuse empty spans
        if (!ElementwiseSplit.WorthSplitting(y.Length)) { op.Forward(x, y); return; }
        fixed (float* px = x, py = y)
        {
            nint xs = (nint)px, ys = (nint)py;   // fixed locals cannot be captured
            KernelThreads.ForRange(y.Length, ElementwiseSplit.MinChunk, (start, end) =>
                op.Forward(Slice(xs, start, end), new Span<float>((float*)ys + start, end - start)));
        }
    }

    /// <summary>dx += dy·f′(x), with y = f(x).</summary>
    public static void Backward<TOp>(TOp op, ReadOnlySpan<float> x, ReadOnlySpan<float> y, ReadOnlySpan<float> dy, Span<float> dx)
        where TOp : struct, IUnaryOperator
    {
        SameLength(op.Name, x.Length, dx.Length);
        SameLength(op.Name, y.Length, dx.Length);
        SameLength(op.Name, dy.Length, dx.Length);
        if (dx.IsEmpty) return;
        if (!ElementwiseSplit.WorthSplitting(dx.Length)) { op.Backward(x, y, dy, dx); return; }
        fixed (float* px = x, py = y, pg = dy, pd = dx)
        {
            nint xs = (nint)px, ys = (nint)py, gs = (nint)pg, ds = (nint)pd;
            KernelThreads.ForRange(dx.Length, ElementwiseSplit.MinChunk, (start, end) =>
                op.Backward(Slice(xs, start, end), Slice(ys, start, end), Slice(gs, start, end), new Span<float>((float*)ds + start, end - start)));
        }
    }

    /// <summary>y = a ∘ b for operands of one length.</summary>
    public static void Binary<TOp>(TOp op, ReadOnlySpan<float> a, ReadOnlySpan<float> b, Span<float> y) where TOp : struct, IBinaryOperator
    {
        SameLength(op.Name, a.Length, y.Length);
        SameLength(op.Name, b.Length, y.Length);
        if (y.IsEmpty) return;
        if (!ElementwiseSplit.WorthSplitting(y.Length)) { op.Invoke(a, b, y); return; }
        fixed (float* pa = a, pb = b, py = y)
        {
            nint aStart = (nint)pa, bStart = (nint)pb, yStart = (nint)py;
            KernelThreads.ForRange(y.Length, ElementwiseSplit.MinChunk, (start, end) =>
                op.Invoke(Slice(aStart, start, end), Slice(bStart, start, end), new Span<float>((float*)yStart + start, end - start)));
        }
    }

    private static ReadOnlySpan<float> Slice(nint start, int from, int to) => new((float*)start + from, to - from);

    private static void SameLength(string name, int a, int b)
    {
        if (a != b) throw new ArgumentException($"{name}: elementwise operands differ in length: {a} and {b}.");
    }
}
