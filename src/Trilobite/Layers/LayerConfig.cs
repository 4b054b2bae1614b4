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
        var p => throw new InvalidDataException($"Unknown padding '{p}' in layer config; expected 'same' or 'valid'."),
    };

    public static string Name(Padding padding) => padding == Trilobite.Padding.Same ? "same" : "valid";
}
