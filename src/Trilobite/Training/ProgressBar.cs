using System.Diagnostics;
using System.Globalization;
using System.Text;

namespace Trilobite.Training;

/// <summary>
/// Keras's progress display: "Epoch 3/12", then
/// " 67/67 [==============================] - 4s 60ms/step - loss: 0.0712 - accuracy: 0.9781".
/// On a terminal the bar is redrawn in place; when output is redirected, one line per epoch.
/// </summary>
internal sealed class ProgressBar(TextWriter output, int verbose, bool interactive)
{
    private const int Width = 30;
    private readonly Stopwatch _clock = new();
    private long _lastDraw;
    private int _steps;

    public void BeginEpoch(int epoch, int epochs, int steps)
    {
        _steps = steps;
        if (verbose > 0) output.WriteLine($"Epoch {epoch + 1}/{epochs}");
        _clock.Restart();
        _lastDraw = 0;
    }

    public void Update(int step, IReadOnlyDictionary<string, double> logs)
    {
        if (verbose != 1 || !interactive) return;
        long now = _clock.ElapsedMilliseconds;
        if (step < _steps && now - _lastDraw < 100) return;   // redraw at most ten times a second
        _lastDraw = now;
        double eta = step == 0 ? 0 : now / 1000.0 / step * (_steps - step);
        output.Write("\r" + Bar(step) + $" - ETA: {Seconds(eta)}" + Logs(logs) + "\x1b[K");
        output.Flush();
    }

    public void EndEpoch(IReadOnlyDictionary<string, double> logs)
    {
        if (verbose == 0) return;
        double seconds = _clock.Elapsed.TotalSeconds;
        string perStep = $"{Math.Round(seconds * 1000 / Math.Max(1, _steps)).ToString(CultureInfo.InvariantCulture)}ms/step";
        string line = verbose == 1
            ? $"{Bar(_steps)} - {Seconds(seconds)} {perStep}{Logs(logs)}"
            : $"{_steps}/{_steps} - {Seconds(seconds)} - {perStep}{Logs(logs)}";
        output.WriteLine((interactive && verbose == 1 ? "\r" : "") + line + (interactive ? "\x1b[K" : ""));
        output.Flush();
    }

    private string Bar(int step)
    {
        string count = _steps.ToString(CultureInfo.InvariantCulture);
        var sb = new StringBuilder();
        sb.Append(step.ToString(CultureInfo.InvariantCulture).PadLeft(count.Length)).Append('/').Append(count).Append(" [");
        int filled = _steps == 0 ? Width : Width * step / _steps;
        if (step >= _steps) sb.Append('=', Width);
        else sb.Append('=', Math.Max(0, filled - 1)).Append('>').Append('.', Width - Math.Max(1, filled));
        return sb.Append(']').ToString();
    }

    private static string Seconds(double s) => s >= 1 || s == 0 ? $"{Math.Round(s).ToString(CultureInfo.InvariantCulture)}s" : $"{Math.Round(s * 1000).ToString(CultureInfo.InvariantCulture)}ms";

    private static string Logs(IReadOnlyDictionary<string, double> logs) =>
        string.Concat(logs.Select(kv => $" - {kv.Key}: {kv.Value.ToString("0.0000", CultureInfo.InvariantCulture)}"));
}
