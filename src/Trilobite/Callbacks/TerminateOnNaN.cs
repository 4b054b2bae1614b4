namespace Trilobite;

/// <summary>Stops training as soon as a batch's loss is NaN or infinite.</summary>
public sealed class TerminateOnNaN : Callback
{
    public override void OnBatchEnd(int batch, IReadOnlyDictionary<string, double> logs)
    {
        if (logs.TryGetValue("loss", out var loss) && !double.IsFinite(loss))
        {
            Console.Error.WriteLine($"Batch {batch}: invalid loss {loss}, terminating training.");
            Model.StopTraining = true;
        }
    }
}
