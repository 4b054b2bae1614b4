namespace Trilobite.Kernels;

/// <summary>
/// One GEMM call as raw pointers, so that the blocked loops can be handed to worker threads.
/// Valid only while the caller keeps the spans pinned (<see cref="GemmDriver"/> does).
/// A is m×k after op (stored k×m when TransA), B is k×n after op (stored n×k when TransB), C is m×n.
/// </summary>
internal readonly unsafe struct GemmOperands(bool transA, bool transB, int k, float alpha,
    float* a, int lda, float* b, int ldb, float beta, float* c, int ldc)
{
    public readonly bool TransA = transA;
    public readonly bool TransB = transB;
    public readonly int K = k;
    public readonly float Alpha = alpha;
    public readonly float* A = a;
    public readonly int Lda = lda;
    public readonly float* B = b;
    public readonly int Ldb = ldb;
    public readonly float Beta = beta;
    public readonly float* C = c;
    public readonly int Ldc = ldc;
}
