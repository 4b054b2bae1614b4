using System.Runtime.CompilerServices;

namespace Trilobite.Kernels;

/// <summary>
/// The two innermost BLIS loops: walks a packed MC×KC block of A and a packed KC×NC panel of B
/// in MR×NR register tiles. jr is the outer loop so one KC×NR sliver of B stays in L1 while the
/// A block streams from L2. Edge tiles are computed whole into a scratch tile (the packed
/// operands are zero-padded) and only the valid mr×nr corner is merged into C.
/// </summary>
internal static unsafe class GemmMacroKernel
{
    private const int MR = GemmBlocking.MR;
    private const int NR = GemmBlocking.NR;

    /// <summary>Set by tests to exercise the portable micro-kernel on AVX2 hardware.</summary>
    internal static bool UseAvx2 = GemmMicroKernelAvx2.IsSupported;

    /// <summary>Set by tests to compare the AVX2-only path with the AVX-512 one on hardware that has both.</summary>
    internal static bool UseAvx512 = GemmMicroKernelAvx512.IsSupported;

    /// <summary>
    /// C[0:mc, 0:nc] = Apacked·Bpacked + beta·C, where c points at the block's corner. With AVX-512, two full slivers of B
    /// at a time go through the 6×32 kernel; what is left (a last single sliver, edge rows) takes the 6×16 path.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Run(int mc, int nc, int kc, float* aPacked, float* bPacked, float* c, long ldc, float beta)
    {
        bool avx2 = UseAvx2, avx512 = avx2 && UseAvx512;
        float* tile = stackalloc float[MR * NR];
        for (int jr = 0; jr < nc;)
        {
            bool pair = avx512 && nc - jr >= 2 * NR;
            int slivers = pair ? 2 : 1;
            for (int ir = 0; ir < mc; ir += MR)
            {
                int mr = Math.Min(MR, mc - ir);
                float* a = aPacked + (long)ir * kc;
                if (pair && mr == MR)
                {
                    GemmMicroKernelAvx512.Run(kc, a, bPacked + (long)jr * kc, c + ir * ldc + jr, ldc, beta);
                    continue;
                }
                for (int s = 0; s < slivers; s++)
                {
                    int j = jr + s * NR, nr = Math.Min(NR, nc - j);
                    float* b = bPacked + (long)j * kc;
                    float* cTile = c + ir * ldc + j;
                    if (mr == MR && nr == NR)
                        MicroKernel(avx2, kc, a, b, cTile, ldc, beta);
                    else
                    {
                        MicroKernel(avx2, kc, a, b, tile, NR, 0f);
                        MergeTile(avx2, tile, cTile, ldc, mr, nr, beta);
                    }
                }
            }
            jr += slivers * NR;
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void MicroKernel(bool avx2, int kc, float* a, float* b, float* c, long ldc, float beta)
    {
        if (avx2) GemmMicroKernelAvx2.Run(kc, a, b, c, ldc, beta);
        else GemmMicroKernelPortable.Run(kc, a, b, c, ldc, beta);
    }

    // Same rounding as the full-tile store of the active micro-kernel (fused on AVX2), so a C
    // element gets bit-identical results whether it falls in a full or an edge tile; this makes
    // the result independent of how the threads partition C.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void MergeTile(bool fused, float* tile, float* c, long ldc, int mr, int nr, float beta)
    {
        for (int r = 0; r < mr; r++)
        {
            float* t = tile + r * NR;
            float* cr = c + r * ldc;
            if (beta == 0)
                for (int j = 0; j < nr; j++) cr[j] = t[j];
            else if (beta == 1)
                for (int j = 0; j < nr; j++) cr[j] += t[j];
            else if (fused)
                for (int j = 0; j < nr; j++) cr[j] = MathF.FusedMultiplyAdd(beta, cr[j], t[j]);
            else
                for (int j = 0; j < nr; j++) cr[j] = cr[j] * beta + t[j];
        }
    }
}
