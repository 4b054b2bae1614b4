namespace Trilobite.Autograd.Ops;

/// <summary>C (m, n) = A (m, k) · B (k, n); dA += dC·Bᵀ, dB += Aᵀ·dC.</summary>
public sealed class MatMulOp : Op
{
    private MatMulOp(Tensor a, Tensor b) : base([a, b]) { }

    /// <summary>C (m, n) = A (m, k)·B (k, n); throws <see cref="ArgumentException"/> unless both are matrices with the same k.</summary>
    public static Tensor Apply(Tensor a, Tensor b)
    {
        if (a.Rank != 2 || b.Rank != 2 || a.Dim(1) != b.Dim(0))
            throw new ArgumentException($"MatMul needs (m, k) · (k, n), got {ShapeText.Of(a.Shape)} · {ShapeText.Of(b.Shape)}.");
        var backend = Backend("MatMul", a, b);
        int m = a.Dim(0), k = a.Dim(1), n = b.Dim(1);
        var c = Tensor.Create([m, n], a.Device, clear: false);
        backend.Gemm(false, false, m, n, k, 1f, a.Data, k, b.Data, n, 0f, c.Data, n);
        return ShouldRecord(a, b) ? Attach(c, new MatMulOp(a, b)) : c;
    }

    /// <inheritdoc/>
    protected internal override void Backward(Tensor dc)
    {
        Tensor a = Inputs[0], b = Inputs[1];
        int m = a.Dim(0), k = a.Dim(1), n = b.Dim(1);
        if (a.RequiresGrad) dc.Backend.Gemm(false, true, m, k, n, 1f, dc.Data, n, b.Data, n, 1f, GradOf(a), k);
        if (b.RequiresGrad) dc.Backend.Gemm(true, false, k, n, m, 1f, a.Data, k, dc.Data, n, 1f, GradOf(b), n);
    }
}
