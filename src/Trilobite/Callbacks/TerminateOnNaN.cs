namespace Trilobite;

/// <summary>Stops training as soon as a batch's loss is NaN or infinite.</summary>
public sealed class TerminateOnNaN : Callback
{
    /// <summary>Sets <see cref="Model.StopTraining"/> (and reports on stderr) when the batch's "loss" is NaN or infinite.</summary>
    public override void OnBatchEnd(int batch, IReadOnlyDictionary<string, double> logs)
    {
        if (logs.TryGetValue("loss", out var loss) && !double.IsFinite(loss))
        {
            Console.Error.WriteLine($"Batch {batch}: invalid loss {loss}, terminating training.");
            Model.StopTraining = true;
        }
    }
}
