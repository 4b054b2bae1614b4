namespace Trilobite.Kernels;

/// <summary>
/// Many independent GEMMs whose operands lie at fixed strides (cuBLAS's <c>gemmStridedBatched</c>): for each b in
/// [0, batch), C_b = alpha·op(A_b)·op(B_b) + beta·C_b with X_b starting at b·strideX. A stride of 0 repeats one operand
/// for every product (A and B only). Products too small for the GEMM to split are spread over the threads instead.
/// </summary>
public static unsafe class BatchedGemm
{
    /// <summary>
    /// The batch of products; throws <see cref="ArgumentOutOfRangeException"/> for a negative size or stride and
    /// <see cref="ArgumentException"/> when the last product's operand would not fit its span, or when C's products overlap
    /// (they may follow each other or sit side by side in C's rows).
    /// </summary>
    public static void Sgemm(bool transA, bool transB, int m, int n, int k, float alpha,
        ReadOnlySpan<float> a, int lda, long strideA, ReadOnlySpan<float> b, int ldb, long strideB,
        float beta, Span<float> c, int ldc, long strideC, int batch)
    {
        if (batch < 0 || strideA < 0 || strideB < 0 || strideC < 0)
            throw new ArgumentOutOfRangeException(nameof(batch), $"Batched GEMM: batch and strides must be non-negative, got batch={batch}, strides {strideA}, {strideB}, {strideC}.");
        if (batch == 0 || m == 0 || n == 0) { GemmArguments.Validate(transA, transB, m, n, k, a.Length, lda, b.Length, ldb, c.Length, ldc); return; }
        long last = batch - 1;
        GemmArguments.Validate(transA, transB, m, n, k, Rest(a.Length, last * strideA, "A"), lda, Rest(b.Length, last * strideB, "B"), ldb,
            Rest(c.Length, last * strideC, "C"), ldc);
        if (batch > 1 && !Disjoint(m, n, ldc, strideC, batch))
            throw new ArgumentException($"Batched GEMM: C's products overlap (stride {strideC} for {batch} blocks of {m}×{n} with row stride {ldc}).");
        if (batch == 1 || KernelThreads.InParallelRegion || KernelThreads.Count == 1 || (long)m * n * k >= GemmBlocking.ParallelMinWork)
        {
            for (int i = 0; i < batch; i++)
                GemmDriver.Run(transA, transB, m, n, k, alpha, a[(int)(i * strideA)..], lda, b[(int)(i * strideB)..], ldb, beta, c[(int)(i * strideC)..], ldc);
            return;
        }
        fixed (float* pa = a, pb = b, pc = c)
        {
            var job = new Job(transA, transB, m, n, k, alpha, pa, a.Length, lda, strideA, pb, b.Length, ldb, strideB, beta, pc, c.Length, ldc, strideC);
            KernelThreads.ForRange(batch, 1, job.Run);
        }
    }

    /// <summary>C's blocks are disjoint one after another, or side by side within each row (columns interleaved).</summary>
    private static bool Disjoint(int m, int n, int ldc, long strideC, int batch) =>
        strideC >= (long)(m - 1) * ldc + n || (strideC >= n && (batch - 1) * strideC + n <= ldc);

    private static int Rest(int length, long offset, string operand) =>
        offset <= length ? (int)(length - offset)
            : throw new ArgumentException($"Batched GEMM: the last product's {operand} starts at {offset}, past the span's {length} elements.");

    // The operands as pointers, for the worker threads; lives only for one call, while the spans are pinned.
    private sealed class Job(bool transA, bool transB, int m, int n, int k, float alpha, float* a, int aLength, int lda, long strideA,
        float* b, int bLength, int ldb, long strideB, float beta, float* c, int cLength, int ldc, long strideC)
    {
        public void Run(int start, int end)
        {
            for (int i = start; i < end; i++)
            {
                long oa = i * strideA, ob = i * strideB, oc = i * strideC;
                GemmDriver.Run(transA, transB, m, n, k, alpha, new ReadOnlySpan<float>(a + oa, (int)(aLength - oa)), lda,
                    new ReadOnlySpan<float>(b + ob, (int)(bLength - ob)), ldb, beta, new Span<float>(c + oc, (int)(cLength - oc)), ldc);
            }
        }
    }
}
