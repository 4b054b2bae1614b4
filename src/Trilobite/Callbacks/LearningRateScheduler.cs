namespace Trilobite;

/// <summary>Sets the optimizer's learning rate at the start of each epoch: <c>schedule(epoch, currentRate)</c>.</summary>
public sealed class LearningRateScheduler(Func<int, double, double> schedule) : Callback
{
    public override void OnEpochBegin(int epoch)
    {
        var optimizer = Model.Optimizer ?? throw new InvalidOperationException("LearningRateScheduler needs a compiled model.");
        optimizer.LearningRate = schedule(epoch, optimizer.LearningRate);
    }
}
