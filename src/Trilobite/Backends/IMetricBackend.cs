using Trilobite.Kernels;

namespace Trilobite.Backends;

/// <summary>
/// Running totals kept on the device in double (a loss sum, correct counts), added to each batch and read back only
/// when someone looks (the progress bar, a callback, the end of an epoch). Totals come in pairs: [slot] the sum, [slot + 1] the weight.
/// </summary>
public interface IMetricBackend
{
    /// <summary>A zeroed storage of <paramref name="count"/> double accumulators (not pooled).</summary>
    Storage AllocateAccumulators(int count);

    /// <summary>Sets every accumulator to 0.</summary>
    void ClearAccumulators(Storage accumulators);

    /// <summary>Copies the accumulators to <paramref name="destination"/> on the host (the only read back from the device).</summary>
    void ReadAccumulators(Storage accumulators, Span<double> destination);

    /// <summary>Sets the accumulators from <paramref name="source"/> on the host (a run resumed mid-epoch takes up its totals).</summary>
    void WriteAccumulators(Storage accumulators, ReadOnlySpan<double> source);

    /// <summary>acc[slot] += value[0]·weight, acc[slot + 1] += weight.</summary>
    void AccumulateMean(StorageView value, double weight, Storage accumulators, int slot);

    /// <summary>acc[slot] += correctly classified rows, acc[slot + 1] += rows.</summary>
    void AccumulateAccuracy(StorageView predictions, StorageView targets, int rows, int classes, AccuracyKind kind, Storage accumulators, int slot);

    /// <summary>acc[slot] += rows whose true class is among the k best scores, acc[slot + 1] += rows.</summary>
    void AccumulateTopK(StorageView predictions, StorageView targets, int rows, int classes, bool sparse, int k, Storage accumulators, int slot);

    /// <summary>
    /// acc[slot + t·classes + p] += 1 for each row (a pixel, for segmentation) of true class t whose argmax is p; rows whose
    /// true class is outside the classes or is <paramref name="ignoreClass"/> (−1 for none) are skipped.
    /// </summary>
    void AccumulateConfusion(StorageView predictions, StorageView targets, int rows, int classes, bool sparse, int ignoreClass, Storage accumulators, int slot);
}
