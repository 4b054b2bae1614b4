namespace Trilobite.Training;

/// <summary>
/// Where a run stood inside an epoch when a step checkpoint was taken: <paramref name="Steps"/> batches of epoch
/// <paramref name="Epoch"/> (0-based) done out of <paramref name="BatchesPerEpoch"/>, with the running totals of the loss
/// and of each metric, so that the resumed run reports the epoch's loss as if it had never stopped.
/// </summary>
internal sealed record EpochProgress(int Epoch, int Steps, int BatchesPerEpoch, double[] LossTotals, IReadOnlyDictionary<string, double[]> MetricTotals);
