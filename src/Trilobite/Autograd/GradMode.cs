namespace Trilobite.Autograd;

/// <summary>Switches recording off for inference: <c>using (GradMode.NoGrad()) { ... }</c>.</summary>
public static class GradMode
{
    [ThreadStatic] private static int t_disabledDepth;

    /// <summary>True unless inside a <see cref="NoGrad"/> scope on this thread.</summary>
    public static bool Enabled => t_disabledDepth == 0;

    /// <summary>Stops recording operations until the returned scope is disposed.</summary>
    public static IDisposable NoGrad()
    {
        t_disabledDepth++;
        return new Restore();
    }

    private sealed class Restore : IDisposable
    {
        private bool _done;
        public void Dispose()
        {
            if (_done) return;
            _done = true;
            t_disabledDepth--;
        }
    }
}
