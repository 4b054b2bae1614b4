using System.Globalization;

namespace Trilobite.Bench.Workloads;

/// <summary>The command line after the workload name: <c>--name value</c> pairs (and bare <c>--flag</c>s).</summary>
public sealed class BenchOptions
{
    private readonly Dictionary<string, string> _values = new(StringComparer.OrdinalIgnoreCase);

    public static BenchOptions Parse(ReadOnlySpan<string> args)
    {
        var options = new BenchOptions();
        for (int i = 0; i < args.Length; i++)
        {
            if (!args[i].StartsWith("--", StringComparison.Ordinal))
                throw new ArgumentException($"Expected an option like --size, got '{args[i]}'.");
            string name = args[i][2..];
            bool hasValue = i + 1 < args.Length && !args[i + 1].StartsWith("--", StringComparison.Ordinal);
            options._values[name] = hasValue ? args[++i] : "true";
        }
        return options;
    }

    /// <summary>Threads for the kernels (<c>--threads</c>); defaults to the core count.</summary>
    public int Threads => Int("threads", Environment.ProcessorCount);

    /// <summary>Problem size (<c>--size</c>), meaning defined by the workload.</summary>
    public int Size(int fallback) => Int("size", fallback);

    public int Int(string name, int fallback)
    {
        if (!_values.TryGetValue(name, out string? text)) return fallback;
        return int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out int v) && v > 0
            ? v : throw new ArgumentException($"--{name} needs a positive integer, got '{text}'.");
    }

    public string? String(string name) => _values.GetValueOrDefault(name);
}
