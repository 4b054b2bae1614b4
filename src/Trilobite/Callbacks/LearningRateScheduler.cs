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

    /// <summary>
    /// Exponential decay by epoch, rate(e) = base·decayᵉ (Keras's <c>lambda epoch: lr * 0.9 ** epoch</c>, the CapsNet
    /// recipe's schedule). It depends only on the epoch, so a resumed run gets the same rates.
    /// </summary>
    public static LearningRateScheduler Exponential(double baseRate, double decay = 0.9)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(baseRate);
        if (!(decay > 0 && decay <= 1)) throw new ArgumentOutOfRangeException(nameof(decay), $"The decay per epoch must be in (0, 1], got {decay}.");
        return new LearningRateScheduler((epoch, _) => baseRate * Math.Pow(decay, epoch));
    }
}
