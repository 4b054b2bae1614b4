using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;
using Trilobite.Kernels;

namespace Trilobite.Bench.Workloads;

/// <summary>
/// The machine's FP32 FMA throughput, measured: every thread runs a loop of independent
/// Vector256 FMAs (10 chains: more than 2 FMA pipes × 4-cycle latency), so only the FMA
/// units limit it. This is the "100 %" the GEMM tables are measured against.
/// </summary>
public static class FmaPeak
{
    private const int Chains = 10;

    /// <summary>GFLOP/s of <paramref name="threads"/> threads each running <paramref name="iterations"/> loop trips.</summary>
    public static double GFlops(int threads, long iterations = 4_000_000)
    {
        if (!Fma.IsSupported) throw new PlatformNotSupportedException("The FMA peak loop needs x86 FMA.");
        Measure.UseThreads(threads);
        double seconds = Measure.Seconds(() => KernelThreads.For(threads, _ => Loop(iterations)), minSeconds: 0);
        return threads * iterations * Chains * Vector256<float>.Count * 2.0 / seconds / 1e9;
    }

    [MethodImpl(MethodImplOptions.NoInlining | MethodImplOptions.AggressiveOptimization)]
    private static float Loop(long iterations)
    {
        // acc = acc·x + y converges to 1, so the values stay normal (no denormal slow path).
        Vector256<float> x = Vector256.Create(0.999f), y = Vector256.Create(0.001f);
        Vector256<float> a0 = x, a1 = x, a2 = x, a3 = x, a4 = x, a5 = x, a6 = x, a7 = x, a8 = x, a9 = x;
        for (long i = 0; i < iterations; i++)
        {
            a0 = Fma.MultiplyAdd(a0, x, y); a1 = Fma.MultiplyAdd(a1, x, y);
            a2 = Fma.MultiplyAdd(a2, x, y); a3 = Fma.MultiplyAdd(a3, x, y);
            a4 = Fma.MultiplyAdd(a4, x, y); a5 = Fma.MultiplyAdd(a5, x, y);
            a6 = Fma.MultiplyAdd(a6, x, y); a7 = Fma.MultiplyAdd(a7, x, y);
            a8 = Fma.MultiplyAdd(a8, x, y); a9 = Fma.MultiplyAdd(a9, x, y);
        }
        Vector256<float> sum = a0 + a1 + a2 + a3 + a4 + a5 + a6 + a7 + a8 + a9;
        return sum.ToScalar();   // keeps the loop alive
    }
}
