using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Trilobite.Kernels;

/// <summary>
/// Copies blocks of op(A) and op(B) into the contiguous sliver layout the micro-kernel streams
/// through. Packing reads the operands as stored, so a transpose costs nothing extra; tails are
/// zero-padded to whole slivers, so the micro-kernel never needs a bounds check.
/// </summary>
internal static unsafe class GemmPacking
{
    private const int MR = GemmBlocking.MR;
    private const int NR = GemmBlocking.NR;

    /// <summary>
    /// Packs op(A)[i0 : i0+mc, p0 : p0+kc], scaled by alpha, as ⌈mc/MR⌉ slivers of MR×kc:
    /// dst[s·MR·kc + p·MR + r] = alpha·op(A)[i0 + s·MR + r, p0 + p]. Rows past mc are zero.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void PackA(in GemmOperands op, int i0, int mc, int p0, int kc, float* dst)
    {
        for (int s = 0; s < mc; s += MR, dst += MR * kc)
        {
            int rows = Math.Min(MR, mc - s);
            if (op.TransA) PackASliverTransposed(op, i0 + s, rows, p0, kc, dst);
            else PackASliver(op, i0 + s, rows, p0, kc, dst);
        }
    }

    // A stored m×k: the MR rows of a sliver are MR strided streams read in step.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void PackASliver(in GemmOperands op, int i, int rows, int p0, int kc, float* dst)
    {
        float alpha = op.Alpha;
        float* src = op.A + (long)i * op.Lda + p0;
        if (rows == MR)
        {
            long lda = op.Lda;
            float* r0 = src, r1 = src + lda, r2 = src + 2 * lda, r3 = src + 3 * lda, r4 = src + 4 * lda, r5 = src + 5 * lda;
            int p = 0;
            if (Avx.IsSupported)
                for (; p + 8 < kc; p += 8, dst += 8 * MR)
                    Transpose6x8(r0 + p, r1 + p, r2 + p, r3 + p, r4 + p, r5 + p, alpha, dst);
            for (; p < kc; p++, dst += MR)
            {
                dst[0] = alpha * r0[p]; dst[1] = alpha * r1[p]; dst[2] = alpha * r2[p];
                dst[3] = alpha * r3[p]; dst[4] = alpha * r4[p]; dst[5] = alpha * r5[p];
            }
            return;
        }
        for (int p = 0; p < kc; p++, dst += MR)
            for (int r = 0; r < MR; r++)
                dst[r] = r < rows ? alpha * src[(long)r * op.Lda + p] : 0f;
    }

    /// <summary>
    /// Eight columns of six rows, transposed with the AVX 8×8 shuffle network (rows 6 and 7 zero):
    /// column j goes to dst[j·6 .. j·6+5]. Each store writes eight floats; the two extra land on the
    /// next column's slots and are overwritten by its store, so the caller keeps p + 8 &lt; kc.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Transpose6x8(float* r0, float* r1, float* r2, float* r3, float* r4, float* r5, float alpha, float* dst)
    {
        var a = Vector256.Create(alpha);
        Vector256<float> v0 = Avx.LoadVector256(r0) * a, v1 = Avx.LoadVector256(r1) * a, v2 = Avx.LoadVector256(r2) * a;
        Vector256<float> v3 = Avx.LoadVector256(r3) * a, v4 = Avx.LoadVector256(r4) * a, v5 = Avx.LoadVector256(r5) * a;
        var zero = Vector256<float>.Zero;
        Vector256<float> t0 = Avx.UnpackLow(v0, v1), t1 = Avx.UnpackHigh(v0, v1), t2 = Avx.UnpackLow(v2, v3), t3 = Avx.UnpackHigh(v2, v3);
        Vector256<float> t4 = Avx.UnpackLow(v4, v5), t5 = Avx.UnpackHigh(v4, v5);
        Vector256<float> s0 = Avx.Shuffle(t0, t2, 0x44), s1 = Avx.Shuffle(t0, t2, 0xEE), s2 = Avx.Shuffle(t1, t3, 0x44), s3 = Avx.Shuffle(t1, t3, 0xEE);
        Vector256<float> s4 = Avx.Shuffle(t4, zero, 0x44), s5 = Avx.Shuffle(t4, zero, 0xEE), s6 = Avx.Shuffle(t5, zero, 0x44), s7 = Avx.Shuffle(t5, zero, 0xEE);
        Avx.Store(dst, Avx.Permute2x128(s0, s4, 0x20));
        Avx.Store(dst + 6, Avx.Permute2x128(s1, s5, 0x20));
        Avx.Store(dst + 12, Avx.Permute2x128(s2, s6, 0x20));
        Avx.Store(dst + 18, Avx.Permute2x128(s3, s7, 0x20));
        Avx.Store(dst + 24, Avx.Permute2x128(s0, s4, 0x31));
        Avx.Store(dst + 30, Avx.Permute2x128(s1, s5, 0x31));
        Avx.Store(dst + 36, Avx.Permute2x128(s2, s6, 0x31));
        Avx.Store(dst + 42, Avx.Permute2x128(s3, s7, 0x31));
    }

    // A stored k×m: the MR values for one p are contiguous.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void PackASliverTransposed(in GemmOperands op, int i, int rows, int p0, int kc, float* dst)
    {
        float alpha = op.Alpha;
        float* src = op.A + (long)p0 * op.Lda + i;
        if (rows == MR)
        {
            // Full sliver: six contiguous values per p, no per-element branch (this is the hot
            // path of a convolution's weight gradient, Aᵀ = the unfolded input).
            for (int p = 0; p < kc; p++, dst += MR, src += op.Lda)
            {
                dst[0] = alpha * src[0]; dst[1] = alpha * src[1]; dst[2] = alpha * src[2];
                dst[3] = alpha * src[3]; dst[4] = alpha * src[4]; dst[5] = alpha * src[5];
            }
            return;
        }
        for (int p = 0; p < kc; p++, dst += MR, src += op.Lda)
            for (int r = 0; r < MR; r++)
                dst[r] = r < rows ? alpha * src[r] : 0f;
    }

    /// <summary>
    /// Packs op(B)[p0 : p0+kc, j0 : j0+nc] as ⌈nc/NR⌉ slivers of kc×NR:
    /// dst[s·NR·kc + p·NR + j] = op(B)[p0 + p, j0 + s·NR + j]. Columns past nc are zero.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void PackB(in GemmOperands op, int p0, int kc, int j0, int nc, float* dst)
    {
        for (int s = 0; s < nc; s += NR, dst += NR * kc)
        {
            int cols = Math.Min(NR, nc - s);
            if (op.TransB) PackBSliverTransposed(op, p0, kc, j0 + s, cols, dst);
            else PackBSliver(op, p0, kc, j0 + s, cols, dst);
        }
    }

    // B stored k×n: each p contributes NR contiguous values, two vector copies.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void PackBSliver(in GemmOperands op, int p0, int kc, int j, int cols, float* dst)
    {
        float* src = op.B + (long)p0 * op.Ldb + j;
        if (cols == NR)
        {
            for (int p = 0; p < kc; p++, dst += NR, src += op.Ldb)
            {
                Vector256.Store(Vector256.Load(src), dst);
                Vector256.Store(Vector256.Load(src + 8), dst + 8);
            }
            return;
        }
        for (int p = 0; p < kc; p++, dst += NR, src += op.Ldb)
            for (int c = 0; c < NR; c++)
                dst[c] = c < cols ? src[c] : 0f;
    }

    // B stored n×k: column j of op(B) is a contiguous row of the store; read NR rows in step.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void PackBSliverTransposed(in GemmOperands op, int p0, int kc, int j, int cols, float* dst)
    {
        float* src = op.B + (long)j * op.Ldb + p0;
        long ldb = op.Ldb;
        for (int c = 0; c < NR; c++)
        {
            float* d = dst + c;
            if (c < cols)
            {
                float* s = src + c * ldb;
                for (int p = 0; p < kc; p++) d[p * NR] = s[p];
            }
            else
            {
                for (int p = 0; p < kc; p++) d[p * NR] = 0f;
            }
        }
    }
}
