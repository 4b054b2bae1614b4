using System.Buffers;
using System.Numerics.Tensors;
using Trilobite.Kernels;

namespace Trilobite.Backends;

/// <summary>The Cpu backend's GEMM, convolution, pooling and normalisation: adapters onto the kernels.</summary>
internal sealed partial class CpuBackend
{
    public void Gemm(bool transA, bool transB, int m, int n, int k, float alpha, StorageView a, int lda, StorageView b, int ldb,
        float beta, StorageView c, int ldc) =>
        Kernels.Gemm.Sgemm(transA, transB, m, n, k, alpha, Span(a), lda, Span(b), ldb, beta, Span(c), ldc);

    public void GemmBatched(bool transA, bool transB, int m, int n, int k, float alpha, StorageView a, int lda, long strideA,
        StorageView b, int ldb, long strideB, float beta, StorageView c, int ldc, long strideC, int batch) =>
        BatchedGemm.Sgemm(transA, transB, m, n, k, alpha, Span(a), lda, strideA, Span(b), ldb, strideB, beta, Span(c), ldc, strideC, batch);

    public void Conv2DForward(in Conv2DGeometry g, StorageView x, StorageView w, StorageView bias, StorageView y, bool relu)
    {
        // The ReLU in place: one buffer fewer than a separate op, and no pass of its own where the kernel clips as it writes.
        Conv2DKernels.Forward(g, Span(x), Span(w), Span(bias), Span(y), relu);
    }

    public void Conv2DBackwardData(in Conv2DGeometry g, StorageView dy, StorageView w, StorageView dx) =>
        Conv2DKernels.BackwardData(g, Span(dy), Span(w), Span(dx));

    public void Conv2DBackwardWeights(in Conv2DGeometry g, StorageView x, StorageView dy, StorageView dw, StorageView dbias)
    {
        if (!dw.IsNone) Conv2DKernels.BackwardWeights(g, Span(x), Span(dy), Span(dw), Span(dbias));
        else if (!dbias.IsNone) Conv2DKernels.SumRows(Span(dy), g.OutChannels, Span(dbias));
    }

    public Storage? MaxPool2DForward(in Conv2DGeometry g, StorageView x, StorageView y, bool forBackward)
    {
        if (forBackward)
        {
            var winners = _indices.TryRent(y.Length) ?? new CpuIndexStorage(Device, GC.AllocateUninitializedArray<int>(y.Length));
            PoolKernels.MaxForward(g, Span(x), Span(y), winners.Data);
            return winners;
        }
        int[] scratch = ArrayPool<int>.Shared.Rent(y.Length);
        PoolKernels.MaxForward(g, Span(x), Span(y), scratch.AsSpan(0, y.Length));
        ArrayPool<int>.Shared.Return(scratch);
        return null;
    }

    public void MaxPool2DBackward(in Conv2DGeometry g, StorageView x, StorageView y, StorageView dy, Storage? saved, StorageView dx) =>
        PoolKernels.MaxBackward(Span(dy), Indices(saved, "MaxPool2D").AsSpan(0, dy.Length), Span(dx));

    public void AvgPool2DForward(in Conv2DGeometry g, StorageView x, StorageView y) => PoolKernels.AverageForward(g, Span(x), Span(y));

    public void AvgPool2DBackward(in Conv2DGeometry g, StorageView dy, StorageView dx) => PoolKernels.AverageBackward(g, Span(dy), Span(dx));

    public void GlobalAvgPool2DForward(int batch, int pixels, int channels, StorageView x, StorageView y) =>
        PoolKernels.GlobalAverageForward(batch, pixels, channels, Span(x), Span(y));

    public void GlobalAvgPool2DBackward(int batch, int pixels, int channels, StorageView dy, StorageView dx) =>
        PoolKernels.GlobalAverageBackward(batch, pixels, channels, Span(dy), Span(dx));

    public void UpSampleNearest(in UpSampling2DGeometry g, StorageView x, StorageView y) => ResizeKernels.UpsampleNearest(g, Span(x), Span(y));

    public void UpSampleNearestBackward(in UpSampling2DGeometry g, StorageView dy, StorageView dx) => ResizeKernels.UpsampleNearestBackward(g, Span(dy), Span(dx));

    public void UpSampleBilinear(in UpSampling2DGeometry g, StorageView x, StorageView y) => BilinearKernels.Forward(g, Span(x), Span(y));

    public void ResizeNearest(in ResizeGeometry g, StorageView x, StorageView y) => ResizeKernels.ResizeNearest(g, Span(x), Span(y));

    public void ResizeNearestBackward(in ResizeGeometry g, StorageView dy, StorageView dx) => ResizeKernels.ResizeNearestBackward(g, Span(dy), Span(dx));

    public void UpSampleBilinearBackward(in UpSampling2DGeometry g, StorageView dy, StorageView dx) => BilinearKernels.Backward(g, Span(dy), Span(dx));

    public void BatchNormTraining(StorageView x, int channels, StorageView gamma, StorageView beta, float epsilon, float momentum,
        StorageView movingMean, StorageView movingVariance, StorageView y, StorageView mean, StorageView inverseStd, bool relu) =>
        BatchNormKernels.ForwardTraining(Span(x), channels, Span(gamma), Span(beta), epsilon, momentum,
            Span(movingMean), Span(movingVariance), Span(y), Span(mean), Span(inverseStd), relu);

    public void BatchNormInference(StorageView x, int channels, StorageView gamma, StorageView beta, float epsilon,
        StorageView movingMean, StorageView movingVariance, StorageView y, StorageView inverseStd, bool relu)
    {
        BatchNormKernels.ForwardInference(Span(x), channels, Span(gamma), Span(beta), epsilon, Span(movingMean), Span(movingVariance), Span(y), relu);
        if (inverseStd.IsNone) return;
        Span<float> s = Span(inverseStd), variance = Span(movingVariance);
        for (int c = 0; c < channels; c++) s[c] = 1f / MathF.Sqrt(variance[c] + epsilon);
    }

    public void BatchNormBackward(StorageView x, StorageView dy, int channels, StorageView gamma, StorageView mean, StorageView inverseStd,
        StorageView dx, StorageView dGamma, StorageView dBeta, StorageView reluOutput)
    {
        // The kernel always forms both parameter sums (dx needs them); a frozen γ or β gets a scratch destination.
        Span<float> dg = dGamma.IsNone ? new float[channels] : Span(dGamma), db = dBeta.IsNone ? new float[channels] : Span(dBeta);
        BatchNormKernels.Backward(Span(x), Span(dy), channels, Span(gamma), Span(mean), Span(inverseStd), Span(dx), dg, db, Span(reluOutput));
    }

    public void BatchNormBackwardInference(StorageView x, StorageView dy, int channels, StorageView gamma, StorageView mean, StorageView inverseStd,
        StorageView dx, StorageView dGamma, StorageView dBeta, StorageView reluOutput) =>
        BatchNormKernels.BackwardInference(Span(x), Span(dy), channels, Span(gamma), Span(mean), Span(inverseStd), Span(dx), Span(dGamma), Span(dBeta),
            Span(reluOutput));

    public void Softmax(StorageView x, int width, StorageView y) => SoftmaxKernels.Softmax(Span(x), width, Span(y));

    public void LogSoftmax(StorageView x, int width, StorageView y) => SoftmaxKernels.LogSoftmax(Span(x), width, Span(y));

    public void SoftmaxBackward(StorageView y, StorageView dy, int width, StorageView dx) => SoftmaxKernels.SoftmaxBackward(Span(y), Span(dy), width, Span(dx));

    public void LogSoftmaxBackward(StorageView y, StorageView dy, int width, StorageView dx) => SoftmaxKernels.LogSoftmaxBackward(Span(y), Span(dy), width, Span(dx));

    public void SoftmaxAxis(StorageView x, int outer, int axis, int inner, StorageView y) => SoftmaxKernels.SoftmaxAxis(Span(x), outer, axis, inner, Span(y));

    public void SoftmaxAxisBackward(StorageView y, StorageView dy, int outer, int axis, int inner, StorageView dx) =>
        SoftmaxKernels.SoftmaxAxisBackward(Span(y), Span(dy), outer, axis, inner, Span(dx));

    public void Squash(StorageView x, int outer, int axis, int inner, StorageView y) => VectorNormKernels.Squash(Span(x), outer, axis, inner, Span(y));

    public void SquashBackward(StorageView x, StorageView dy, int outer, int axis, int inner, StorageView dx) =>
        VectorNormKernels.SquashBackward(Span(x), Span(dy), outer, axis, inner, Span(dx));

    public void VectorNorm(StorageView x, int outer, int axis, int inner, StorageView y) => VectorNormKernels.Norm(Span(x), outer, axis, inner, Span(y));

    public void VectorNormBackward(StorageView x, StorageView y, StorageView dy, int outer, int axis, int inner, StorageView dx) =>
        VectorNormKernels.NormBackward(Span(x), Span(y), Span(dy), outer, axis, inner, Span(dx));
}
