using System.Text.Json.Nodes;

namespace Trilobite.Serialization;

/// <summary>Small helpers for reading layer configs with errors that name the missing or wrong key.</summary>
public static class Json
{
    public static JsonArray Array(IEnumerable<int> values) => new(values.Select(v => (JsonNode)JsonValue.Create(v)!).ToArray());

    public static int[] IntArray(JsonObject config, string key) =>
        Required(config, key).AsArray().Select(n => n!.GetValue<int>()).ToArray();

    public static int[]? OptionalIntArray(JsonObject config, string key) =>
        config[key] is JsonArray a ? a.Select(n => n!.GetValue<int>()).ToArray() : null;

    public static int Int(JsonObject config, string key) => Required(config, key).GetValue<int>();

    public static double Double(JsonObject config, string key) => Required(config, key).GetValue<double>();

    public static string String(JsonObject config, string key) => Required(config, key).GetValue<string>();

    public static string? OptionalString(JsonObject config, string key) => config[key]?.GetValue<string>();

    public static bool Bool(JsonObject config, string key, bool fallback) => config[key]?.GetValue<bool>() ?? fallback;

    public static JsonNode Required(JsonObject config, string key) =>
        config[key] ?? throw new InvalidDataException($"Layer config is missing '{key}': {config.ToJsonString()}");
}
