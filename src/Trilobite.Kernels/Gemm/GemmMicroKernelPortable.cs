using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace Trilobite.Kernels;

/// <summary>
/// The fallback register tile for hardware without AVX2+FMA (Arm64 NEON, older x86): the same
/// 6×16 contract as <see cref="GemmMicroKernelAvx2"/>, written with portable Vector128 so it is
/// vectorised wherever 128-bit SIMD exists and still correct where it does not.
/// </summary>
internal static unsafe class GemmMicroKernelPortable
{
    private const int MR = GemmBlocking.MR;
    private const int NR = GemmBlocking.NR;
    private const int Quarters = NR / 4;

    /// <summary>a: MR×kc sliver; b: kc×NR sliver; c: row stride ldc. beta == 0 never reads C.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Run(int kc, float* a, float* b, float* c, long ldc, float beta)
    {
        // acc[r·4 + q] holds C[r, 4q : 4q+4]; 24 vectors (Arm64 has 32 registers).
        Vector128<float>* acc = stackalloc Vector128<float>[MR * Quarters];
        for (int i = 0; i < MR * Quarters; i++) acc[i] = Vector128<float>.Zero;

        for (int p = 0; p < kc; p++, a += MR, b += NR)
        {
            Vector128<float> b0 = Vector128.Load(b), b1 = Vector128.Load(b + 4);
            Vector128<float> b2 = Vector128.Load(b + 8), b3 = Vector128.Load(b + 12);
            for (int r = 0; r < MR; r++)
            {
                Vector128<float> av = Vector128.Create(a[r]);
                Vector128<float>* row = acc + r * Quarters;
                row[0] += av * b0; row[1] += av * b1; row[2] += av * b2; row[3] += av * b3;
            }
        }

        for (int r = 0; r < MR; r++)
        {
            float* cr = c + r * ldc;
            for (int q = 0; q < Quarters; q++)
            {
                Vector128<float> ab = acc[r * Quarters + q];
                float* cq = cr + 4 * q;
                if (beta == 0) Vector128.Store(ab, cq);
                else if (beta == 1) Vector128.Store(Vector128.Load(cq) + ab, cq);
                else Vector128.Store(Vector128.Load(cq) * beta + ab, cq);
            }
        }
    }
}
