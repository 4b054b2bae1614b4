namespace Trilobite.Autograd.Ops;

/// <summary>
/// The capsule layer's prediction vectors û[n, j, i, :] = W[i, j]·u[n, i] (Sabour et al. 2017, eq. 2): every child
/// capsule i (of dimension K) predicts every parent j (of dimension D) through its own D×K matrix. u is (N, I, K), W is
/// (I, J, D, K), û is (N, J, I, D): parent-major, so that routing's sums over the children are contiguous batched
/// products. Computed as J strided batched GEMMs over the children (N×K times K×D each), so nothing larger than û is
/// made; dW[i, j] += Σ_n dû[n, j, i]ᵀ·u[n, i] and du[n, i] += Σ_j W[i, j]ᵀ·dû[n, j, i], batched the same way.
/// </summary>
public sealed class CapsulePredictionOp : Op
{
    private CapsulePredictionOp(Tensor u, Tensor w) : base([u, w]) { }

    /// <summary>û (N, J, I, D) from u (N, I, K) and W (I, J, D, K); throws <see cref="ArgumentException"/> naming both shapes when they do not fit.</summary>
    public static Tensor Apply(Tensor u, Tensor w)
    {
        if (u.Rank != 3 || w.Rank != 4 || u.Dim(1) != w.Dim(0) || u.Dim(2) != w.Dim(3))
            throw new ArgumentException($"Capsule predictions need u (N, I, K) and W (I, J, D, K), got u {ShapeText.Of(u.Shape)} and W {ShapeText.Of(w.Shape)}.");
        var backend = Backend("CapsulePrediction", u, w);
        var (n, i, j, d, k) = (u.Dim(0), u.Dim(1), w.Dim(1), w.Dim(2), u.Dim(2));
        var votes = Tensor.Create([n, j, i, d], u.Device, clear: false);
        for (int parent = 0; parent < j; parent++)   // product i: (N×K)·(D×K)ᵀ into û[:, parent, i, :]
            backend.GemmBatched(false, true, n, d, k, 1f, u.Data, i * k, k, From(w.Data, parent * d * k), k, (long)j * d * k,
                0f, From(votes.Data, parent * i * d), j * i * d, d, i);
        return ShouldRecord(u, w) ? Attach(votes, new CapsulePredictionOp(u, w)) : votes;
    }

    /// <inheritdoc/>
    protected internal override void Backward(Tensor dVotes)
    {
        Tensor u = Inputs[0], w = Inputs[1];
        var (n, i, j, d, k) = (u.Dim(0), u.Dim(1), w.Dim(1), w.Dim(2), u.Dim(2));
        var backend = dVotes.Backend;
        for (int parent = 0; parent < j; parent++)
        {
            var dv = From(dVotes.Data, parent * i * d);
            if (w.RequiresGrad)   // dW[i, parent] (D×K) += dû[:, parent, i, :]ᵀ (D×N) · u[:, i, :] (N×K)
                backend.GemmBatched(true, false, d, k, n, 1f, dv, j * i * d, d, u.Data, i * k, k, 1f, From(GradOf(w), parent * d * k), k, (long)j * d * k, i);
            if (u.RequiresGrad)   // du[:, i, :] (N×K) += dû[:, parent, i, :] (N×D) · W[i, parent] (D×K)
                backend.GemmBatched(false, false, n, k, d, 1f, dv, j * i * d, d, From(w.Data, parent * d * k), k, (long)j * d * k, 1f, GradOf(u), i * k, k, i);
        }
    }

    /// <summary>The view's elements from <paramref name="offset"/> to its end.</summary>
    private static Backends.StorageView From(Backends.StorageView v, int offset) => v.Slice(offset, v.Length - offset);
}
