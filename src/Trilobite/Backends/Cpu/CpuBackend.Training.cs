using Trilobite.Kernels;

namespace Trilobite.Backends;

/// <summary>The Cpu backend's losses, metric totals, optimizer updates and random fills.</summary>
internal sealed partial class CpuBackend
{
    public void SoftmaxCrossEntropy(StorageView logits, StorageView targets, int classes, StorageView gradient, StorageView loss) =>
        Span(loss)[0] = LossKernels.SoftmaxCrossEntropy(Span(logits), Span(targets), classes, Span(gradient));

    public void SparseSoftmaxCrossEntropy(StorageView logits, StorageView labels, int classes, StorageView gradient, StorageView loss) =>
        Span(loss)[0] = LossKernels.SparseSoftmaxCrossEntropy(Span(logits), Span(labels), classes, Span(gradient));

    public void SigmoidBinaryCrossEntropy(StorageView logits, StorageView targets, StorageView gradient, StorageView loss) =>
        Span(loss)[0] = LossKernels.SigmoidBinaryCrossEntropy(Span(logits), Span(targets), Span(gradient));

    public void MeanSquaredError(StorageView predictions, StorageView targets, StorageView gradient, StorageView loss) =>
        Span(loss)[0] = LossKernels.MeanSquaredError(Span(predictions), Span(targets), Span(gradient));

    public void SigmoidFocalLoss(StorageView logits, StorageView targets, float alpha, float gamma, StorageView loss, StorageView gradient) =>
        FocalLossKernel.Run(Span(logits), Span(targets), alpha, gamma, Span(loss), Span(gradient));

    public Storage AllocateAccumulators(int count) => new CpuAccumulators(Device, new double[count]);

    public void ClearAccumulators(Storage accumulators) => Array.Clear(Accumulators(accumulators));

    public void ReadAccumulators(Storage accumulators, Span<double> destination) => Accumulators(accumulators).CopyTo(destination);

    public void WriteAccumulators(Storage accumulators, ReadOnlySpan<double> source) => source.CopyTo(Accumulators(accumulators));

    public void AccumulateMean(StorageView value, double weight, Storage accumulators, int slot)
    {
        var totals = Accumulators(accumulators);
        totals[slot] += Span(value)[0] * weight;
        totals[slot + 1] += weight;
    }

    public void AccumulateAccuracy(StorageView predictions, StorageView targets, int rows, int classes, AccuracyKind kind, Storage accumulators, int slot)
    {
        var totals = Accumulators(accumulators);
        totals[slot] += MetricKernels.CountCorrect(Span(predictions), Span(targets), rows, classes, kind);
        totals[slot + 1] += rows;
    }

    public void AccumulateTopK(StorageView predictions, StorageView targets, int rows, int classes, bool sparse, int k, Storage accumulators, int slot)
    {
        var totals = Accumulators(accumulators);
        totals[slot] += MetricKernels.CountTopK(Span(predictions), Span(targets), rows, classes, sparse, k);
        totals[slot + 1] += rows;
    }

    public void AccumulateConfusion(StorageView predictions, StorageView targets, int rows, int classes, bool sparse, int ignoreClass, Storage accumulators, int slot) =>
        MetricKernels.AccumulateConfusion(Span(predictions), Span(targets), rows, classes, sparse, ignoreClass, Accumulators(accumulators).AsSpan(slot, classes * classes));

    public void SgdUpdate(StorageView weight, StorageView gradient, StorageView velocity, in SgdParameters parameters) =>
        OptimizerKernels.Sgd(Span(weight), Span(gradient), Span(velocity), parameters);

    public void AdamUpdate(StorageView weight, StorageView gradient, StorageView m, StorageView v, in AdamParameters parameters) =>
        OptimizerKernels.Adam(Span(weight), Span(gradient), Span(m), Span(v), parameters);

    public void RmsPropUpdate(StorageView weight, StorageView gradient, StorageView meanSquare, StorageView momentum, in RmsPropParameters parameters) =>
        OptimizerKernels.RmsProp(Span(weight), Span(gradient), Span(meanSquare), Span(momentum), parameters);

    public void FillUniform(StorageView destination, ulong seed, float low, float high) => RandomKernels.FillUniform(Span(destination), seed, low, high);

    public void FillNormal(StorageView destination, ulong seed, float mean, float std) => RandomKernels.FillNormal(Span(destination), seed, mean, std);

    public void FillTruncatedNormal(StorageView destination, ulong seed, float mean, float std) =>
        RandomKernels.FillTruncatedNormal(Span(destination), seed, mean, std);

    public void FillDropoutMask(StorageView destination, ulong seed, float rate) => DropoutKernels.FillMask(seed, rate, Span(destination));
}
