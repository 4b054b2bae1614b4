using Trilobite.Kernels.Tests.Oracles;

namespace Trilobite.Kernels.Tests.Gemm;

/// <summary>
/// The blocked GEMM against the naive oracle on every transpose combination, on shapes chosen
/// to hit each blocking boundary (MR 6, NR 16, KC 256, MC 168), padded strides, the alpha/beta
/// special cases, 1 and 2 threads, and both micro-kernels.
/// </summary>
[Collection(KernelThreadsCollection.Name)]
public sealed class GemmTests
{
    public static TheoryData<int, int, int> Shapes => new()
    {
        { 1, 1, 1 }, { 1, 1, 300 }, { 2, 3, 4 }, { 7, 13, 17 }, { 6, 16, 256 }, { 5, 15, 255 },
        { 7, 17, 257 }, { 12, 32, 1 }, { 13, 33, 2 }, { 168, 16, 8 }, { 169, 17, 9 }, { 167, 48, 31 },
        { 97, 101, 103 }, { 1, 200, 40 }, { 200, 1, 40 }, { 337, 35, 520 }, { 40, 530, 60 },
        { 3, 1000, 300 }, { 4, 131, 2100 }, { 2, 260, 17000 },   // the small-m (GEMV-like) path; the last splits k over threads
        { 1, 128, 9216 }, { 5, 75, 33 }, { 1, 10, 128 },   // LeNet's batch-1 dense layers; panels of columns, one vector, single columns
    };

    [Theory]
    [MemberData(nameof(Shapes))]
    public void MatchesReferenceOnAllTransposes(int m, int n, int k)
    {
        foreach (int threads in new[] { 1, 2 })
            foreach (bool transA in new[] { false, true })
                foreach (bool transB in new[] { false, true })
                    Check(transA, transB, m, n, k, alpha: 1f, beta: 0f, pad: 0, threads);
    }

    [Theory]
    [InlineData(1f, 0f)]
    [InlineData(1f, 1f)]
    [InlineData(-0.5f, 2f)]
    [InlineData(2.5f, -1f)]
    [InlineData(0f, 0.5f)]
    [InlineData(0f, 0f)]
    public void AlphaBetaAndPaddedStrides(float alpha, float beta)
    {
        foreach (bool transA in new[] { false, true })
            foreach (bool transB in new[] { false, true })
            {
                Check(transA, transB, 23, 37, 29, alpha, beta, pad: 5, threads: 1);
                Check(transA, transB, 4, 37, 29, alpha, beta, pad: 5, threads: 1);
                Check(transA, transB, 130, 150, 300, alpha, beta, pad: 3, threads: 2);
            }
    }

    [Theory]
    [InlineData(0, 5, 7)]
    [InlineData(5, 0, 7)]
    [InlineData(5, 7, 0)]
    [InlineData(0, 0, 0)]
    public void EmptySizes(int m, int n, int k)
    {
        foreach (float beta in new[] { 0f, 1f, 3f })
            Check(false, false, m, n, k, alpha: 1f, beta, pad: 2, threads: 2);
    }

    [Fact]
    public void BetaZeroOverwritesNaN()
    {
        foreach (int threads in new[] { 1, 2 })
        {
            // k == 0 and alpha == 0 take the early path, the others the blocked one.
            Check(false, false, 50, 70, 0, alpha: 1f, beta: 0f, pad: 1, threads, cFill: float.NaN);
            Check(false, true, 50, 70, 9, alpha: 0f, beta: 0f, pad: 1, threads, cFill: float.NaN);
            Check(true, false, 150, 170, 90, alpha: 1f, beta: 0f, pad: 1, threads, cFill: float.NaN);
        }
    }

    [Fact]
    public void PortableMicroKernelMatchesReference()
    {
        bool saved = GemmMacroKernel.UseAvx2;
        GemmMacroKernel.UseAvx2 = false;
        try
        {
            foreach (bool transA in new[] { false, true })
                foreach (bool transB in new[] { false, true })
                {
                    Check(transA, transB, 97, 101, 103, 1.5f, 0f, pad: 2, threads: 2, cFill: float.NaN);
                    Check(transA, transB, 13, 35, 270, -1f, 0.25f, pad: 0, threads: 1);
                }
        }
        finally { GemmMacroKernel.UseAvx2 = saved; }
    }

    [Fact]
    public void TheAvx512TileGivesTheAvx2TilesResultsBitForBit()
    {
        // Same fused multiply-adds in the same k order: switching the 6×32 tile off changes no bit, for every β rule,
        // odd column counts (a last single sliver) and edge rows.
        var rng = new Random(11);
        foreach (var (m, n, k, beta) in new[] { (203, 181, 300, 0.75f), (48, 64, 257, 0f), (37, 97, 33, 1f), (6, 32, 5, 0f) })
        {
            float[] a = Random(rng, m * k), b = Random(rng, k * n), c0 = Random(rng, m * n);
            float[] wide = (float[])c0.Clone(), narrow = (float[])c0.Clone();
            bool saved = GemmMacroKernel.UseAvx512;
            try
            {
                GemmMacroKernel.UseAvx512 = GemmMicroKernelAvx512.IsSupported;
                Kernels.Gemm.Sgemm(false, true, m, n, k, 0.5f, a, k, b, k, beta, wide, n);
                GemmMacroKernel.UseAvx512 = false;
                Kernels.Gemm.Sgemm(false, true, m, n, k, 0.5f, a, k, b, k, beta, narrow, n);
            }
            finally { GemmMacroKernel.UseAvx512 = saved; }
            Assert.Equal(narrow, wide);
        }
    }

    [Fact]
    public void ResultDoesNotDependOnThreadCount()
    {
        // Each C element sees the same FMA sequence however C is partitioned (see GemmMacroKernel).
        var rng = new Random(7);
        int m = 203, n = 181, k = 300;
        float[] a = Random(rng, m * k), b = Random(rng, k * n), c0 = Random(rng, m * n);
        float[] one = (float[])c0.Clone(), two = (float[])c0.Clone();
        WithThreads(1, () => Kernels.Gemm.Sgemm(false, false, m, n, k, 0.5f, a, k, b, n, 0.75f, one, n));
        WithThreads(2, () => Kernels.Gemm.Sgemm(false, false, m, n, k, 0.5f, a, k, b, n, 0.75f, two, n));
        Assert.Equal(one, two);
    }

    [Fact]
    public void RejectsSpansTooShort()
    {
        var a = new float[10];
        var b = new float[10];
        var c = new float[10];
        Assert.Throws<ArgumentException>(() => Kernels.Gemm.Sgemm(false, false, 3, 3, 4, 1f, a, 4, b, 3, 0f, c, 3));
        Assert.Throws<ArgumentOutOfRangeException>(() => Kernels.Gemm.Sgemm(false, false, -1, 3, 4, 1f, a, 4, b, 3, 0f, c, 3));
    }

    private static void Check(bool transA, bool transB, int m, int n, int k, float alpha, float beta,
        int pad, int threads, float cFill = float.NegativeZero)
    {
        var rng = new Random(m * 7919 + n * 104729 + k * 31 + (transA ? 1 : 0) + (transB ? 2 : 0));
        int aRows = transA ? k : m, aCols = transA ? m : k;
        int bRows = transB ? n : k, bCols = transB ? k : n;
        int lda = aCols + pad, ldb = bCols + pad, ldc = n + pad;
        float[] a = Random(rng, Math.Max(0, aRows * lda));
        float[] b = Random(rng, Math.Max(0, bRows * ldb));
        float[] c = float.IsNegative(cFill) && cFill == 0 ? Random(rng, m * ldc) : Filled(m * ldc, cFill);
        float[] expected = (float[])c.Clone();
        if (beta == 0) Array.Fill(expected, 0f);   // the oracle multiplies beta·C; NaN·0 would leak
        CopyPadding(c, expected, m, n, ldc);

        ReferenceGemm.Sgemm(transA, transB, m, n, k, alpha, a, lda, b, ldb, beta, expected, ldc);
        WithThreads(threads, () => Kernels.Gemm.Sgemm(transA, transB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc));

        // Products of values in [-1, 1): rounding error grows with k.
        float tolerance = 1e-5f * (k + 4) * (Math.Abs(alpha) + 1) + 1e-6f * Math.Abs(beta);
        for (int i = 0; i < m; i++)
            for (int j = 0; j < ldc; j++)
            {
                float want = expected[i * ldc + j], got = c[i * ldc + j];
                if (j >= n) Assert.True(want.Equals(got), $"padding C[{i},{j}] was written");
                else if (!(Math.Abs(want - got) <= tolerance))
                    Assert.Fail($"{(transA ? "T" : "N")}{(transB ? "T" : "N")} m={m} n={n} k={k} alpha={alpha} beta={beta} " +
                        $"threads={threads}: C[{i},{j}] = {got}, expected {want}");
            }
    }

    // The oracle must see the same padding columns as the kernel (they are checked untouched).
    private static void CopyPadding(float[] from, float[] to, int m, int n, int ldc)
    {
        for (int i = 0; i < m; i++)
            for (int j = n; j < ldc; j++) to[i * ldc + j] = from[i * ldc + j];
    }

    private static float[] Random(Random rng, int length)
    {
        var x = new float[length];
        for (int i = 0; i < length; i++) x[i] = (float)(rng.NextDouble() * 2 - 1);
        return x;
    }

    private static float[] Filled(int length, float value)
    {
        var x = new float[length];
        Array.Fill(x, value);
        return x;
    }

    internal static void WithThreads(int threads, Action body)
    {
        int saved = KernelThreads.Count;
        KernelThreads.Count = threads;
        try { body(); }
        finally { KernelThreads.Count = saved; }
    }
}
