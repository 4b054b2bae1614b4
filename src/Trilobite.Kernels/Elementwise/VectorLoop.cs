using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace Trilobite.Kernels;

/// <summary>f(x) for one value and for eight: what <see cref="VectorLoop.Map"/> needs to run a function over a span.</summary>
public interface IVectorFunction
{
    /// <summary>f(x) for one value (the tail of a span).</summary>
    float Value(float x);
    /// <summary>f(x) for eight lanes, with the same operations as the one-value form so no element depends on where it fell.</summary>
    Vector256<float> Value(Vector256<float> x);
}

/// <summary>The contribution dy·f′(x) to dx, given x and y = f(x), for one value and for eight.</summary>
public interface IVectorGradient
{
    /// <summary>dy·f′(x) for one value; y = f(x) is given for derivatives that are cheaper from the output.</summary>
    float Gradient(float x, float y, float dy);
    /// <summary>dy·f′(x) for eight lanes, with the same operations as the one-value form.</summary>
    Vector256<float> Gradient(Vector256<float> x, Vector256<float> y, Vector256<float> dy);
}

/// <summary>
/// The one driver for elementwise functions that TensorPrimitives does not provide: eight lanes at a time, then the
/// tail one by one. Operands may alias (each element is read before it is written, at the same index).
/// </summary>
public static unsafe class VectorLoop
{
    /// <summary>y[i] = f(x[i]).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Map<TFunction>(in TFunction f, ReadOnlySpan<float> x, Span<float> y) where TFunction : struct, IVectorFunction
    {
        if (y.Length != x.Length) throw Mismatch(x.Length, y.Length);
        int n = x.Length, i = 0;
        fixed (float* px = x, py = y)
        {
            if (Vector256.IsHardwareAccelerated)
                for (; i <= n - 8; i += 8) f.Value(Vector256.Load(px + i)).Store(py + i);
            for (; i < n; i++) py[i] = f.Value(px[i]);
        }
    }

    /// <summary>dx[i] += g(x[i], y[i], dy[i]).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void AddGradient<TGradient>(in TGradient g, ReadOnlySpan<float> x, ReadOnlySpan<float> y, ReadOnlySpan<float> dy, Span<float> dx)
        where TGradient : struct, IVectorGradient
    {
        if (x.Length != dx.Length || y.Length != dx.Length || dy.Length != dx.Length) throw Mismatch(dx.Length, Math.Min(x.Length, Math.Min(y.Length, dy.Length)));
        int n = dx.Length, i = 0;
        fixed (float* px = x, py = y, pg = dy, pd = dx)
        {
            if (Vector256.IsHardwareAccelerated)
                for (; i <= n - 8; i += 8)
                    (Vector256.Load(pd + i) + g.Gradient(Vector256.Load(px + i), Vector256.Load(py + i), Vector256.Load(pg + i))).Store(pd + i);
            for (; i < n; i++) pd[i] += g.Gradient(px[i], py[i], pg[i]);
        }
    }

    private static ArgumentException Mismatch(int expected, int actual) =>
        new($"Elementwise operands differ in length: {expected} and {actual}.");
}
