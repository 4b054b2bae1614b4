namespace Trilobite.Playground.Sessions;

/// <summary>Deletes idle sessions every half minute.</summary>
public sealed class SessionSweeper(SessionStore store) : BackgroundService
{
    /// <summary>Calls <see cref="SessionStore.Sweep"/> every 30 s until the host stops.</summary>
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(30));
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false)) store.Sweep();
        }
        catch (OperationCanceledException) { }
    }
}
