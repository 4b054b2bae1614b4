using System.Numerics.Tensors;

namespace Trilobite.Kernels;

/// <summary>
/// Single-precision matrix multiply, row-major: C = alpha·op(A)·op(B) + beta·C, where op(X) is X or
/// Xᵀ. A is m×k after op, B is k×n after op, C is m×n; lda/ldb/ldc are row strides as stored.
/// </summary>
public static class Gemm
{
    /// <summary>C = alpha·op(A)·op(B) + beta·C; returns without touching C when m or n is 0. Throws <see cref="ArgumentOutOfRangeException"/> for a negative size and <see cref="ArgumentException"/> when a stride is below its operand's columns or a span is too short for it.</summary>
    public static void Sgemm(bool transA, bool transB, int m, int n, int k, float alpha,
        ReadOnlySpan<float> a, int lda, ReadOnlySpan<float> b, int ldb, float beta, Span<float> c, int ldc)
    {
        GemmArguments.Validate(transA, transB, m, n, k, a.Length, lda, b.Length, ldb, c.Length, ldc);
        if (m == 0 || n == 0) return;
        GemmDriver.Run(transA, transB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc);
    }
}
