namespace Trilobite;

/// <summary>Sets the optimizer's learning rate at the start of each epoch: <c>schedule(epoch, currentRate)</c>.</summary>
public sealed class LearningRateScheduler(Func<int, double, double> schedule) : Callback
{
    /// <summary>Sets the optimizer's learning rate to <c>schedule(epoch, currentRate)</c>; throws <see cref="InvalidOperationException"/> if the model is not compiled.</summary>
    public override void OnEpochBegin(int epoch)
    {
        var optimizer = Model.Optimizer ?? throw new InvalidOperationException("LearningRateScheduler needs a compiled model.");
        optimizer.LearningRate = schedule(epoch, optimizer.LearningRate);
    }

    /// <summary>
    /// Cosine decay over the run, one value per epoch: rate(e) = min + (base − min)·½(1 + cos(π·e / epochs)),
    /// from <paramref name="baseRate"/> at epoch 0 towards <paramref name="minRate"/> at the end (Loshchilov and
    /// Hutter's SGDR without restarts). It depends only on the epoch, so a resumed run gets the same rates.
    /// </summary>
    public static LearningRateScheduler Cosine(double baseRate, int epochs, double minRate = 0)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(baseRate);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(epochs);
        ArgumentOutOfRangeException.ThrowIfNegative(minRate);
        return new LearningRateScheduler((epoch, _) => minRate + (baseRate - minRate) * 0.5 * (1 + Math.Cos(Math.PI * epoch / epochs)));
    }
}
