using Trilobite.Zoo;

namespace Trilobite.Cli.Commands;

/// <summary>The models the CLI can build by name.</summary>
internal static class ModelCatalog
{
    private static readonly Dictionary<string, (string Description, Func<Model> Build)> s_models = new(StringComparer.OrdinalIgnoreCase)
    {
        ["lenet"] = ("the lecture's LeNet-inspired MNIST CNN (28×28×1, 10 classes)", () => LeNetKeras.Build()),
    };

    public static IEnumerable<string> Names => s_models.Keys;

    public static Model Build(string name) => s_models.TryGetValue(name, out var entry)
        ? entry.Build()
        : throw new ArgumentException($"Unknown model '{name}'. Known models: {string.Join(", ", s_models.Keys)}.");

    public static string Describe() => string.Join(Environment.NewLine, s_models.Select(kv => $"  {kv.Key,-12} {kv.Value.Description}"));
}
