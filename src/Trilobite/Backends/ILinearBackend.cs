using Trilobite.Kernels;

namespace Trilobite.Backends;

/// <summary>Matrix products and convolutions (on a GPU: cuBLAS SGEMM and cuDNN's convolution forward/backward).</summary>
public interface ILinearBackend
{
    /// <summary>C = α·op(A)·op(B) + β·C, row-major; A is m×k after op, B is k×n, C is m×n; lda/ldb/ldc are row strides as stored. β = 0 never reads C.</summary>
    void Gemm(bool transA, bool transB, int m, int n, int k, float alpha, StorageView a, int lda, StorageView b, int ldb,
        float beta, StorageView c, int ldc);

    /// <summary>
    /// <paramref name="batch"/> independent <see cref="Gemm"/>s (cuBLAS's gemmStridedBatched): product b reads A, B and C from
    /// b·strideA, b·strideB and b·strideC elements into their views. A stride of 0 for A or B repeats that operand; C's
    /// products must not overlap.
    /// </summary>
    void GemmBatched(bool transA, bool transB, int m, int n, int k, float alpha, StorageView a, int lda, long strideA,
        StorageView b, int ldb, long strideB, float beta, StorageView c, int ldc, long strideC, int batch);

    /// <summary>y (N, OH, OW, OC) = conv(x (N, H, W, C), w (KH, KW, C, OC)) + bias (OC, or none), then max(·, 0) when <paramref name="relu"/>.</summary>
    void Conv2DForward(in Conv2DGeometry g, StorageView x, StorageView w, StorageView bias, StorageView y, bool relu);

    /// <summary>dx (N, H, W, C) += convᵀ(dy, w): the input gradient (and the transposed convolution's forward pass).</summary>
    void Conv2DBackwardData(in Conv2DGeometry g, StorageView dy, StorageView w, StorageView dx);

    /// <summary>dw (KH, KW, C, OC) += unfold(x)ᵀ·dy and dbias (OC) += Σ dy over all output pixels; either may be none.</summary>
    void Conv2DBackwardWeights(in Conv2DGeometry g, StorageView x, StorageView dy, StorageView dw, StorageView dbias);
}
