using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Trilobite.Kernels;

/// <summary>
/// The 6×16 AVX2+FMA register tile: C[0:6, 0:16] = A·B + beta·C over one packed sliver pair.
/// Twelve ymm accumulators (6 rows × 2 halves) hide the 4-cycle FMA latency on both FMA pipes;
/// per k-step it issues 2 B loads, 6 A broadcasts and 12 FMAs.
/// </summary>
internal static unsafe class GemmMicroKernelAvx2
{
    public static bool IsSupported => Fma.IsSupported && Avx2.IsSupported;

    /// <summary>a: MR×kc sliver, a[p·6 + r]; b: kc×NR sliver, b[p·16 + j]; c: row stride ldc.
    /// beta == 0 overwrites C without reading it, beta == 1 accumulates.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Run(int kc, float* a, float* b, float* c, long ldc, float beta)
    {
        // C's rows are ldc apart and usually not in L1: ask for them now, so the loads and stores
        // after the k-loop (~1500 cycles away) do not stall. Two lines per row: C may be unaligned.
        for (int r = 0; r < GemmBlocking.MR; r++)
        {
            Sse.Prefetch0(c + r * ldc);
            Sse.Prefetch0(c + r * ldc + GemmBlocking.NR - 1);
        }
        Vector256<float> c00 = default, c01 = default, c10 = default, c11 = default;
        Vector256<float> c20 = default, c21 = default, c30 = default, c31 = default;
        Vector256<float> c40 = default, c41 = default, c50 = default, c51 = default;

        // Four k-steps per trip: the loop counter and pointer bumps are paid once per 48 FMAs.
        Vector256<float> b0, b1, av;
        for (; kc >= 4; kc -= 4)
        {
            b0 = Avx.LoadVector256(b);
            b1 = Avx.LoadVector256(b + 8);
            av = Vector256.Create(a[0]);
            c00 = Fma.MultiplyAdd(av, b0, c00); c01 = Fma.MultiplyAdd(av, b1, c01);
            av = Vector256.Create(a[1]);
            c10 = Fma.MultiplyAdd(av, b0, c10); c11 = Fma.MultiplyAdd(av, b1, c11);
            av = Vector256.Create(a[2]);
            c20 = Fma.MultiplyAdd(av, b0, c20); c21 = Fma.MultiplyAdd(av, b1, c21);
            av = Vector256.Create(a[3]);
            c30 = Fma.MultiplyAdd(av, b0, c30); c31 = Fma.MultiplyAdd(av, b1, c31);
            av = Vector256.Create(a[4]);
            c40 = Fma.MultiplyAdd(av, b0, c40); c41 = Fma.MultiplyAdd(av, b1, c41);
            av = Vector256.Create(a[5]);
            c50 = Fma.MultiplyAdd(av, b0, c50); c51 = Fma.MultiplyAdd(av, b1, c51);

            b0 = Avx.LoadVector256(b + 16);
            b1 = Avx.LoadVector256(b + 24);
            av = Vector256.Create(a[6]);
            c00 = Fma.MultiplyAdd(av, b0, c00); c01 = Fma.MultiplyAdd(av, b1, c01);
            av = Vector256.Create(a[7]);
            c10 = Fma.MultiplyAdd(av, b0, c10); c11 = Fma.MultiplyAdd(av, b1, c11);
            av = Vector256.Create(a[8]);
            c20 = Fma.MultiplyAdd(av, b0, c20); c21 = Fma.MultiplyAdd(av, b1, c21);
            av = Vector256.Create(a[9]);
            c30 = Fma.MultiplyAdd(av, b0, c30); c31 = Fma.MultiplyAdd(av, b1, c31);
            av = Vector256.Create(a[10]);
            c40 = Fma.MultiplyAdd(av, b0, c40); c41 = Fma.MultiplyAdd(av, b1, c41);
            av = Vector256.Create(a[11]);
            c50 = Fma.MultiplyAdd(av, b0, c50); c51 = Fma.MultiplyAdd(av, b1, c51);

            b0 = Avx.LoadVector256(b + 32);
            b1 = Avx.LoadVector256(b + 40);
            av = Vector256.Create(a[12]);
            c00 = Fma.MultiplyAdd(av, b0, c00); c01 = Fma.MultiplyAdd(av, b1, c01);
            av = Vector256.Create(a[13]);
            c10 = Fma.MultiplyAdd(av, b0, c10); c11 = Fma.MultiplyAdd(av, b1, c11);
            av = Vector256.Create(a[14]);
            c20 = Fma.MultiplyAdd(av, b0, c20); c21 = Fma.MultiplyAdd(av, b1, c21);
            av = Vector256.Create(a[15]);
            c30 = Fma.MultiplyAdd(av, b0, c30); c31 = Fma.MultiplyAdd(av, b1, c31);
            av = Vector256.Create(a[16]);
            c40 = Fma.MultiplyAdd(av, b0, c40); c41 = Fma.MultiplyAdd(av, b1, c41);
            av = Vector256.Create(a[17]);
            c50 = Fma.MultiplyAdd(av, b0, c50); c51 = Fma.MultiplyAdd(av, b1, c51);

            b0 = Avx.LoadVector256(b + 48);
            b1 = Avx.LoadVector256(b + 56);
            av = Vector256.Create(a[18]);
            c00 = Fma.MultiplyAdd(av, b0, c00); c01 = Fma.MultiplyAdd(av, b1, c01);
            av = Vector256.Create(a[19]);
            c10 = Fma.MultiplyAdd(av, b0, c10); c11 = Fma.MultiplyAdd(av, b1, c11);
            av = Vector256.Create(a[20]);
            c20 = Fma.MultiplyAdd(av, b0, c20); c21 = Fma.MultiplyAdd(av, b1, c21);
            av = Vector256.Create(a[21]);
            c30 = Fma.MultiplyAdd(av, b0, c30); c31 = Fma.MultiplyAdd(av, b1, c31);
            av = Vector256.Create(a[22]);
            c40 = Fma.MultiplyAdd(av, b0, c40); c41 = Fma.MultiplyAdd(av, b1, c41);
            av = Vector256.Create(a[23]);
            c50 = Fma.MultiplyAdd(av, b0, c50); c51 = Fma.MultiplyAdd(av, b1, c51);
            a += 4 * GemmBlocking.MR;
            b += 4 * GemmBlocking.NR;
        }
        for (; kc > 0; kc--)   // the 0–3 leftover k-steps
        {
            b0 = Avx.LoadVector256(b);
            b1 = Avx.LoadVector256(b + 8);
            av = Vector256.Create(a[0]);
            c00 = Fma.MultiplyAdd(av, b0, c00); c01 = Fma.MultiplyAdd(av, b1, c01);
            av = Vector256.Create(a[1]);
            c10 = Fma.MultiplyAdd(av, b0, c10); c11 = Fma.MultiplyAdd(av, b1, c11);
            av = Vector256.Create(a[2]);
            c20 = Fma.MultiplyAdd(av, b0, c20); c21 = Fma.MultiplyAdd(av, b1, c21);
            av = Vector256.Create(a[3]);
            c30 = Fma.MultiplyAdd(av, b0, c30); c31 = Fma.MultiplyAdd(av, b1, c31);
            av = Vector256.Create(a[4]);
            c40 = Fma.MultiplyAdd(av, b0, c40); c41 = Fma.MultiplyAdd(av, b1, c41);
            av = Vector256.Create(a[5]);
            c50 = Fma.MultiplyAdd(av, b0, c50); c51 = Fma.MultiplyAdd(av, b1, c51);
            a += GemmBlocking.MR;
            b += GemmBlocking.NR;
        }

        if (beta == 0)
        {
            StoreRow(c, c00, c01); StoreRow(c + ldc, c10, c11); StoreRow(c + 2 * ldc, c20, c21);
            StoreRow(c + 3 * ldc, c30, c31); StoreRow(c + 4 * ldc, c40, c41); StoreRow(c + 5 * ldc, c50, c51);
        }
        else if (beta == 1)
        {
            AddRow(c, c00, c01); AddRow(c + ldc, c10, c11); AddRow(c + 2 * ldc, c20, c21);
            AddRow(c + 3 * ldc, c30, c31); AddRow(c + 4 * ldc, c40, c41); AddRow(c + 5 * ldc, c50, c51);
        }
        else
        {
            Vector256<float> vb = Vector256.Create(beta);
            ScaleAddRow(c, vb, c00, c01); ScaleAddRow(c + ldc, vb, c10, c11); ScaleAddRow(c + 2 * ldc, vb, c20, c21);
            ScaleAddRow(c + 3 * ldc, vb, c30, c31); ScaleAddRow(c + 4 * ldc, vb, c40, c41); ScaleAddRow(c + 5 * ldc, vb, c50, c51);
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void StoreRow(float* c, Vector256<float> lo, Vector256<float> hi)
    {
        Avx.Store(c, lo);
        Avx.Store(c + 8, hi);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void AddRow(float* c, Vector256<float> lo, Vector256<float> hi)
    {
        Avx.Store(c, Avx.Add(Avx.LoadVector256(c), lo));
        Avx.Store(c + 8, Avx.Add(Avx.LoadVector256(c + 8), hi));
    }

    // beta·c + ab in one rounding, the same formula GemmMacroKernel.MergeTile uses for edge tiles.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void ScaleAddRow(float* c, Vector256<float> beta, Vector256<float> lo, Vector256<float> hi)
    {
        Avx.Store(c, Fma.MultiplyAdd(beta, Avx.LoadVector256(c), lo));
        Avx.Store(c + 8, Fma.MultiplyAdd(beta, Avx.LoadVector256(c + 8), hi));
    }
}
