using System.Buffers;
using System.Numerics.Tensors;

namespace Trilobite.Kernels;

/// <summary>
/// First, simple GEMM: transposed operands are packed row-major, then each row of C is built as
/// a sum of scaled rows of B (a vectorised axpy), rows spread over the worker pool.
/// </summary>
internal static class GemmDriver
{
    public static void Run(bool transA, bool transB, int m, int n, int k, float alpha,
        ReadOnlySpan<float> a, int lda, ReadOnlySpan<float> b, int ldb, float beta, Span<float> c, int ldc)
    {
        float[]? aPacked = null, bPacked = null;
        try
        {
            if (transA) { aPacked = Transposed(a, lda, k, m); a = aPacked; lda = k; }
            if (transB) { bPacked = Transposed(b, ldb, n, k); b = bPacked; ldb = n; }
            unsafe
            {
                fixed (float* pa = a, pb = b, pc = c)
                {
                    var job = new RowJob(pa, lda, pb, ldb, pc, ldc, n, k, alpha, beta);
                    KernelThreads.ForRange(m, Math.Max(1, 65536 / Math.Max(1, n * k / 64 + 1)), job.Rows);
                }
            }
        }
        finally
        {
            if (aPacked != null) ArrayPool<float>.Shared.Return(aPacked);
            if (bPacked != null) ArrayPool<float>.Shared.Return(bPacked);
        }
    }

    private static float[] Transposed(ReadOnlySpan<float> x, int ld, int rows, int cols)
    {
        float[] t = ArrayPool<float>.Shared.Rent(rows * cols);
        for (int r = 0; r < rows; r++)
            for (int col = 0; col < cols; col++)
                t[col * rows + r] = x[r * ld + col];
        return t;
    }

    private sealed unsafe class RowJob(float* a, int lda, float* b, int ldb, float* c, int ldc, int n, int k, float alpha, float beta)
    {
        public void Rows(int start, int end)
        {
            for (int i = start; i < end; i++)
            {
                var row = new Span<float>(c + (long)i * ldc, n);
                if (beta == 0) row.Clear();
                else if (beta != 1) TensorPrimitives.Multiply(row, beta, row);
                for (int p = 0; p < k; p++)
                {
                    float s = alpha * a[(long)i * lda + p];
                    if (s == 0) continue;
                    TensorPrimitives.MultiplyAdd(new ReadOnlySpan<float>(b + (long)p * ldb, n), s, row, row);
                }
            }
        }
    }
}
