namespace Trilobite.Kernels;

/// <summary>
/// Functions of a vector's Euclidean length along one axis of a tensor viewed as (outer, axis, inner): the capsule
/// network's squash and length. Both are exactly 0, value and gradient, at the zero vector (the textbook formulas
/// divide 0 by 0 there).
/// </summary>
public static class VectorNormKernels
{
    /// <summary>y = ‖x‖²/(1 + ‖x‖²) · x/‖x‖ = g·x with g = ‖x‖/(1 + ‖x‖²); y = 0 where x = 0.</summary>
    public static void Squash(ReadOnlySpan<float> x, int outer, int axis, int inner, Span<float> y)
    {
        Check(nameof(Squash), x.Length, outer, axis, inner, y.Length, x.Length);
        for (int o = 0; o < outer; o++)
            for (int i = 0; i < inner; i++)
            {
                int start = o * axis * inner + i;
                float q = SquaredNorm(x, start, axis, inner);
                float g = MathF.Sqrt(q) / (1 + q);
                for (int a = 0, at = start; a < axis; a++, at += inner) y[at] = g * x[at];
            }
    }

    /// <summary>dx += g·dy + h·(x·dy)·x with h = 2g′(‖x‖²) = (1 − ‖x‖²)/(‖x‖(1 + ‖x‖²)²), and h·(x·dy)·x taken as 0 at x = 0 (its limit).</summary>
    public static void SquashBackward(ReadOnlySpan<float> x, ReadOnlySpan<float> dy, int outer, int axis, int inner, Span<float> dx)
    {
        Check(nameof(SquashBackward), x.Length, outer, axis, inner, dx.Length, x.Length);
        KernelArguments.Length(nameof(SquashBackward), "the output gradient", dy.Length, x.Length);
        for (int o = 0; o < outer; o++)
            for (int i = 0; i < inner; i++)
            {
                int start = o * axis * inner + i;
                float q = SquaredNorm(x, start, axis, inner);
                if (q == 0) continue;   // the Jacobian at 0 is 0
                float norm = MathF.Sqrt(q), onePlus = 1 + q;
                float g = norm / onePlus, h = (1 - q) / (norm * onePlus * onePlus);
                float dot = 0;
                for (int a = 0, at = start; a < axis; a++, at += inner) dot += x[at] * dy[at];
                float hd = h * dot;
                for (int a = 0, at = start; a < axis; a++, at += inner) dx[at] += g * dy[at] + hd * x[at];
            }
    }

    /// <summary>y[o, i] = ‖x[o, :, i]‖.</summary>
    public static void Norm(ReadOnlySpan<float> x, int outer, int axis, int inner, Span<float> y)
    {
        Check(nameof(Norm), x.Length, outer, axis, inner, y.Length, (long)outer * inner);
        for (int o = 0; o < outer; o++)
            for (int i = 0; i < inner; i++)
                y[o * inner + i] = MathF.Sqrt(SquaredNorm(x, o * axis * inner + i, axis, inner));
    }

    /// <summary>dx[o, a, i] += dy[o, i]·x[o, a, i]/y[o, i], and nothing where y = 0 (the subgradient 0).</summary>
    public static void NormBackward(ReadOnlySpan<float> x, ReadOnlySpan<float> y, ReadOnlySpan<float> dy, int outer, int axis, int inner, Span<float> dx)
    {
        Check(nameof(NormBackward), x.Length, outer, axis, inner, dx.Length, x.Length);
        KernelArguments.Length(nameof(NormBackward), "the output", y.Length, (long)outer * inner);
        KernelArguments.Length(nameof(NormBackward), "the output gradient", dy.Length, (long)outer * inner);
        for (int o = 0; o < outer; o++)
            for (int i = 0; i < inner; i++)
            {
                float norm = y[o * inner + i];
                if (norm == 0) continue;
                float scale = dy[o * inner + i] / norm;
                for (int a = 0, at = o * axis * inner + i; a < axis; a++, at += inner) dx[at] += scale * x[at];
            }
    }

    private static float SquaredNorm(ReadOnlySpan<float> x, int start, int axis, int inner)
    {
        float q = 0;
        for (int a = 0, at = start; a < axis; a++, at += inner) q += x[at] * x[at];
        return q;
    }

    private static void Check(string kernel, int input, int outer, int axis, int inner, int output, long expectedOutput)
    {
        if (outer < 0 || axis < 0 || inner < 0) throw new ArgumentOutOfRangeException(nameof(outer), $"{kernel}: sizes must be non-negative, got ({outer}, {axis}, {inner}).");
        KernelArguments.Length(kernel, "the input", input, (long)outer * axis * inner);
        KernelArguments.Length(kernel, "the output", output, expectedOutput);
    }
}
