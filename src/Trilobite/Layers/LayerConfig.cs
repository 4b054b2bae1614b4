using System.Text.Json.Nodes;
using Trilobite.Serialization;

namespace Trilobite.Layers;

/// <summary>Config fields shared by several layers.</summary>
internal static class LayerConfig
{
    public static Padding Padding(JsonObject c) => (Json.OptionalString(c, "padding") ?? "valid") switch
    {
        "same" => Trilobite.Padding.Same,
        "valid" => Trilobite.Padding.Valid,
        var p => throw new InvalidDataException($"Unknown padding '{Excerpt.Of(p)}' in layer config; expected 'same' or 'valid'."),
    };

    public static string Name(Padding padding) => padding == Trilobite.Padding.Same ? "same" : "valid";

    /// <summary>A (rows, columns) pair written as [h, w] or as one number for both (Keras accepts either); null when absent.</summary>
    public static (int H, int W)? Pair(JsonObject c, string key)
    {
        switch (c[key])
        {
            case null: return null;
            case JsonArray { Count: 2 } a: return (Json.AsInt(a[0], key), Json.AsInt(a[1], key));
            case JsonValue v when v.TryGetValue(out int n): return (n, n);
            case var other: throw Json.Wrong(key, "a number or a pair [rows, columns]", other);
        }
    }
}
