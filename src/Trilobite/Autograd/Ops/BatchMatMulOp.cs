namespace Trilobite.Autograd.Ops;

/// <summary>
/// C[b] = op(A[b])·op(B[b]) for each b of a batch of matrices (B, m, k)·(B, k, n) → (B, m, n), op = transpose or not;
/// one strided batched GEMM on the backend. dop(A) = dC·op(B)ᵀ, dop(B) = op(A)ᵀ·dC, each batched the same way.
/// </summary>
public sealed class BatchMatMulOp : Op
{
    private readonly bool _transA, _transB;

    private BatchMatMulOp(Tensor a, Tensor b, bool transA, bool transB) : base([a, b]) => (_transA, _transB) = (transA, transB);

    /// <summary>The batch of products; throws <see cref="ArgumentException"/> unless both are rank 3 with one batch size and matching k.</summary>
    public static Tensor Apply(Tensor a, Tensor b, bool transposeA = false, bool transposeB = false)
    {
        var (m, k, n) = Sizes(a, b, transposeA, transposeB);
        var backend = Backend("BatchMatMul", a, b);
        int batch = a.Dim(0);
        var c = Tensor.Create([batch, m, n], a.Device, clear: false);
        backend.GemmBatched(transposeA, transposeB, m, n, k, 1f, a.Data, a.Dim(2), (long)m * k, b.Data, b.Dim(2), (long)k * n,
            0f, c.Data, n, (long)m * n, batch);
        return ShouldRecord(a, b) ? Attach(c, new BatchMatMulOp(a, b, transposeA, transposeB)) : c;
    }

    private static (int M, int K, int N) Sizes(Tensor a, Tensor b, bool transA, bool transB)
    {
        string Described() => $"{ShapeText.Of(a.Shape)}{(transA ? "ᵀ" : "")} · {ShapeText.Of(b.Shape)}{(transB ? "ᵀ" : "")}";
        if (a.Rank != 3 || b.Rank != 3 || a.Dim(0) != b.Dim(0))
            throw new ArgumentException($"BatchMatMul needs two batches of matrices of one size, (batch, m, k) · (batch, k, n), got {Described()}.");
        int m = transA ? a.Dim(2) : a.Dim(1), k = transA ? a.Dim(1) : a.Dim(2);
        int kb = transB ? b.Dim(2) : b.Dim(1), n = transB ? b.Dim(1) : b.Dim(2);
        if (k != kb) throw new ArgumentException($"BatchMatMul: the inner sizes differ ({k} and {kb}) in {Described()}.");
        return (m, k, n);
    }

    /// <inheritdoc/>
    protected internal override void Backward(Tensor dc)
    {
        Tensor a = Inputs[0], b = Inputs[1];
        int batch = a.Dim(0), lda = a.Dim(2), ldb = b.Dim(2);
        var (m, k, n) = Sizes(a, b, _transA, _transB);
        long sa = (long)m * k, sb = (long)k * n, sc = (long)m * n;
        var backend = dc.Backend;
        if (a.RequiresGrad)
        {
            if (!_transA) backend.GemmBatched(false, !_transB, m, k, n, 1f, dc.Data, n, sc, b.Data, ldb, sb, 1f, GradOf(a), lda, sa, batch);
            else backend.GemmBatched(_transB, true, k, m, n, 1f, b.Data, ldb, sb, dc.Data, n, sc, 1f, GradOf(a), lda, sa, batch);
        }
        if (b.RequiresGrad)
        {
            if (!_transB) backend.GemmBatched(!_transA, false, k, n, m, 1f, a.Data, lda, sa, dc.Data, n, sc, 1f, GradOf(b), ldb, sb, batch);
            else backend.GemmBatched(true, _transA, n, k, m, 1f, dc.Data, n, sc, a.Data, lda, sa, 1f, GradOf(b), ldb, sb, batch);
        }
    }
}
