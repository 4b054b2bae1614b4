using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Trilobite.Kernels;

/// <summary>
/// Two 6×16 register tiles side by side with AVX-512: C[0:6, 0:32] = A·[B₀ B₁] + beta·C over one packed A sliver and
/// two consecutive packed B slivers (the packing layout of the AVX2 kernel, unchanged). Twelve zmm accumulators; per
/// k-step 2 B loads, 6 A broadcasts and 12 FMAs of 16 lanes — twice the work per instruction of the AVX2 tile. Every
/// element is summed over k in the same order with the same fused multiply-adds as there, so results are bit-identical
/// to the AVX2 kernel's (and independent of how C is partitioned).
/// </summary>
internal static unsafe class GemmMicroKernelAvx512
{
    public static bool IsSupported => Avx512F.IsSupported && Fma.IsSupported;

    /// <summary>a: MR×kc sliver, a[p·6 + r]; b: two kc×NR slivers one after the other, b[p·16 + j] and b[kc·16 + p·16 + j]; c: row stride ldc.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Run(int kc, float* a, float* b, float* c, long ldc, float beta)
    {
        const int NR = GemmBlocking.NR;
        for (int r = 0; r < GemmBlocking.MR; r++)
        {
            Sse.Prefetch0(c + r * ldc);
            Sse.Prefetch0(c + r * ldc + NR);
            Sse.Prefetch0(c + r * ldc + 2 * NR - 1);
        }
        float* b1 = b + (long)kc * NR;
        Vector512<float> c00 = default, c01 = default, c10 = default, c11 = default;
        Vector512<float> c20 = default, c21 = default, c30 = default, c31 = default;
        Vector512<float> c40 = default, c41 = default, c50 = default, c51 = default;
        for (; kc > 0; kc--)
        {
            Vector512<float> x0 = Avx512F.LoadVector512(b), x1 = Avx512F.LoadVector512(b1), av;
            av = Vector512.Create(a[0]);
            c00 = Avx512F.FusedMultiplyAdd(av, x0, c00); c01 = Avx512F.FusedMultiplyAdd(av, x1, c01);
            av = Vector512.Create(a[1]);
            c10 = Avx512F.FusedMultiplyAdd(av, x0, c10); c11 = Avx512F.FusedMultiplyAdd(av, x1, c11);
            av = Vector512.Create(a[2]);
            c20 = Avx512F.FusedMultiplyAdd(av, x0, c20); c21 = Avx512F.FusedMultiplyAdd(av, x1, c21);
            av = Vector512.Create(a[3]);
            c30 = Avx512F.FusedMultiplyAdd(av, x0, c30); c31 = Avx512F.FusedMultiplyAdd(av, x1, c31);
            av = Vector512.Create(a[4]);
            c40 = Avx512F.FusedMultiplyAdd(av, x0, c40); c41 = Avx512F.FusedMultiplyAdd(av, x1, c41);
            av = Vector512.Create(a[5]);
            c50 = Avx512F.FusedMultiplyAdd(av, x0, c50); c51 = Avx512F.FusedMultiplyAdd(av, x1, c51);
            a += GemmBlocking.MR;
            b += NR;
            b1 += NR;
        }
        Row(c, c00, c01, beta); Row(c + ldc, c10, c11, beta); Row(c + 2 * ldc, c20, c21, beta);
        Row(c + 3 * ldc, c30, c31, beta); Row(c + 4 * ldc, c40, c41, beta); Row(c + 5 * ldc, c50, c51, beta);
    }

    // The AVX2 kernel's three store rules: β = 0 overwrites, β = 1 adds, otherwise β·c + ab in one rounding.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Row(float* c, Vector512<float> lo, Vector512<float> hi, float beta)
    {
        if (beta == 0)
        {
            Avx512F.Store(c, lo);
            Avx512F.Store(c + GemmBlocking.NR, hi);
        }
        else if (beta == 1)
        {
            Avx512F.Store(c, Avx512F.Add(Avx512F.LoadVector512(c), lo));
            Avx512F.Store(c + GemmBlocking.NR, Avx512F.Add(Avx512F.LoadVector512(c + GemmBlocking.NR), hi));
        }
        else
        {
            var vb = Vector512.Create(beta);
            Avx512F.Store(c, Avx512F.FusedMultiplyAdd(vb, Avx512F.LoadVector512(c), lo));
            Avx512F.Store(c + GemmBlocking.NR, Avx512F.FusedMultiplyAdd(vb, Avx512F.LoadVector512(c + GemmBlocking.NR), hi));
        }
    }
}
