using System.Runtime.CompilerServices;
namespace Trilobite.Kernels;

/// <summary>
/// The three outer BLIS loops on one thread, for the sub-block C[i0:i1, j0:j1]:
/// jc over NC-column panels → pc over KC-deep slices (pack B) → ic over MC-row blocks (pack A)
/// → <see cref="GemmMacroKernel"/>. Beta is applied by the first KC slice only; later slices
/// accumulate. Packing buffers come from <see cref="GemmWorkspace"/>, so this allocates nothing.
/// </summary>
internal static unsafe class GemmBlockedLoops
{
    private const int MR = GemmBlocking.MR;
    private const int NR = GemmBlocking.NR;

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Run(in GemmOperands op, int i0, int i1, int j0, int j1)
    {
        int m = i1 - i0, n = j1 - j0, k = op.K;
        if (m <= 0 || n <= 0) return;

        int kcMax = Math.Min(GemmBlocking.KC, k);
        int ncMax = Math.Min(GemmBlocking.NC, RoundUp(n, NR));
        int mc = BalancedBlock(m, GemmBlocking.MC, MR);
        float* bPacked = GemmWorkspace.PackedB(kcMax * ncMax);
        float* aPacked = GemmWorkspace.PackedA(kcMax * mc);

        for (int jc = j0; jc < j1; jc += GemmBlocking.NC)
        {
            int nc = Math.Min(GemmBlocking.NC, j1 - jc);
            for (int pc = 0; pc < k; pc += GemmBlocking.KC)
            {
                int kc = Math.Min(GemmBlocking.KC, k - pc);
                float beta = pc == 0 ? op.Beta : 1f;
                GemmPacking.PackB(op, pc, kc, jc, nc, bPacked);
                for (int ic = i0; ic < i1; ic += mc)
                {
                    int mcCur = Math.Min(mc, i1 - ic);
                    GemmPacking.PackA(op, ic, mcCur, pc, kc, aPacked);
                    GemmMacroKernel.Run(mcCur, nc, kc, aPacked, bPacked,
                        op.C + (long)ic * op.Ldc + jc, op.Ldc, beta);
                }
            }
        }
    }

    /// <summary>Splits <paramref name="length"/> into ⌈length/max⌉ near-equal blocks rounded up to
    /// <paramref name="unit"/>: 512 rows become 4×128 instead of 3×168 + 8, so no block is a sliver.</summary>
    internal static int BalancedBlock(int length, int max, int unit)
    {
        int blocks = (length + max - 1) / max;
        return Math.Min(max, RoundUp((length + blocks - 1) / blocks, unit));
    }

    internal static int RoundUp(int x, int unit) => (x + unit - 1) / unit * unit;
}
