namespace Trilobite.Kernels;

/// <summary>
/// Runs an elementwise operation over the pool when it is large enough to pay for waking a worker:
/// each task gets one contiguous slice of every operand, at the same offsets. Operands may alias
/// (y = a + y), since a slice only ever meets the same slice of the others.
/// </summary>
public static unsafe class ElementwiseSplit
{
    /// <summary>Elements per task at least: 256 KiB of floats (a smaller split costs more in wake-ups than it saves).</summary>
    public const int MinChunk = 1 << 16;

    public delegate void Unary(ReadOnlySpan<float> x, Span<float> y);

    public delegate void Binary(ReadOnlySpan<float> a, ReadOnlySpan<float> b, Span<float> y);

    /// <summary>y = op(x), elementwise; x and y have the same length.</summary>
    public static void Run(ReadOnlySpan<float> x, Span<float> y, Unary op)
    {
        if (x.Length != y.Length) throw new ArgumentException($"Elementwise operands differ in length: {x.Length} and {y.Length}.");
        if (!WorthSplitting(y.Length)) { op(x, y); return; }
        fixed (float* px = x, py = y)
        {
            nint xs = (nint)px, ys = (nint)py;   // fixed locals cannot be captured
            KernelThreads.ForRange(y.Length, MinChunk, (start, end) =>
                op(new ReadOnlySpan<float>((float*)xs + start, end - start), new Span<float>((float*)ys + start, end - start)));
        }
    }

    /// <summary>y = op(a, b), elementwise; all three have the same length.</summary>
    public static void Run(ReadOnlySpan<float> a, ReadOnlySpan<float> b, Span<float> y, Binary op)
    {
        if (a.Length != y.Length || b.Length != y.Length)
            throw new ArgumentException($"Elementwise operands differ in length: {a.Length}, {b.Length} and {y.Length}.");
        if (!WorthSplitting(y.Length)) { op(a, b, y); return; }
        fixed (float* pa = a, pb = b, py = y)
        {
            nint aStart = (nint)pa, bStart = (nint)pb, yStart = (nint)py;
            KernelThreads.ForRange(y.Length, MinChunk, (start, end) => op(new ReadOnlySpan<float>((float*)aStart + start, end - start),
                new ReadOnlySpan<float>((float*)bStart + start, end - start), new Span<float>((float*)yStart + start, end - start)));
        }
    }

    /// <summary>Whether an elementwise pass over this many values is split over the pool (never inside a parallel region).</summary>
    public static bool WorthSplitting(int length) => length >= 2 * MinChunk && KernelThreads.Count > 1 && !KernelThreads.InParallelRegion;
}
