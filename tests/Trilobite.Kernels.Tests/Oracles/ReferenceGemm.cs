namespace Trilobite.Kernels.Tests.Oracles;

/// <summary>
/// The naive triple loop in float spans: the oracle of the span-level GEMM tests (the shipped naive twin of every kernel,
/// in double, is the Reference backend of <c>Trilobite</c>, tested against the Cpu backend in Trilobite.Tests/Backends).
/// </summary>
public static class ReferenceGemm
{
    /// <summary>C = alpha·op(A)·op(B) + beta·C, row-major, accumulated in double.</summary>
    public static void Sgemm(bool transA, bool transB, int m, int n, int k, float alpha,
        ReadOnlySpan<float> a, int lda, ReadOnlySpan<float> b, int ldb, float beta, Span<float> c, int ldc)
    {
        for (int i = 0; i < m; i++)
            for (int j = 0; j < n; j++)
            {
                double sum = 0;
                for (int p = 0; p < k; p++)
                {
                    float av = transA ? a[p * lda + i] : a[i * lda + p];
                    float bv = transB ? b[j * ldb + p] : b[p * ldb + j];
                    sum += (double)av * bv;
                }
                float old = beta == 0 ? 0 : beta * c[i * ldc + j];
                c[i * ldc + j] = (float)(alpha * sum) + old;
            }
    }
}
