using System.Diagnostics;

namespace Trilobite.Autograd;

/// <summary>
/// Optional timing of where a training step spends its time: layer forwards (by layer type) and op backwards (by op
/// name). Off by default; when off it costs one branch per layer or op and builds no strings.
/// </summary>
public static class OpProfiler
{
    private static readonly Dictionary<string, (long Ticks, long Calls)> s_totals = [];

    /// <summary>Whether layer forwards and op backwards are timed (off by default).</summary>
    public static bool Enabled { get; set; }

    /// <summary>Whether each key also names the layer and shapes (a layer's output, an op's first input and output), so
    /// that convolutions of different sizes, and a shared layer's calls on each of them, are timed apart.</summary>
    public static bool ByShape { get; set; }

    internal static long Start() => Enabled ? Stopwatch.GetTimestamp() : 0;

    internal static void StopForward(Layers.Layer layer, Tensor output, long start)
    {
        if (Enabled) Add("forward " + layer.TypeName + (ByShape ? $" {layer.Name} -> {ShapeText.Of(output.Shape)}" : ""), start);
    }

    internal static void StopBackward(Op op, long start)
    {
        if (Enabled)
            Add("backward " + op.Name + (ByShape ? $" {ShapeText.Of(op.Inputs[0].Shape)} -> {ShapeText.Of(op.Output.Shape)}" : ""), start);
    }

    private static void Add(string key, long start)
    {
        long elapsed = Stopwatch.GetTimestamp() - start;
        lock (s_totals)
        {
            var (ticks, calls) = s_totals.GetValueOrDefault(key);
            s_totals[key] = (ticks + elapsed, calls + 1);
        }
    }

    /// <summary>Clears the totals collected so far.</summary>
    public static void Reset()
    {
        lock (s_totals) s_totals.Clear();
    }

    /// <summary>Milliseconds and call counts per key, largest first.</summary>
    public static IReadOnlyList<(string Key, double Milliseconds, long Calls)> Report()
    {
        lock (s_totals)
            return s_totals.Select(kv => (kv.Key, kv.Value.Ticks * 1000.0 / Stopwatch.Frequency, kv.Value.Calls))
                .OrderByDescending(r => r.Item2).ToList();
    }
}
