using System.Text.Json;
using System.Text.Json.Nodes;

namespace Trilobite.Serialization;

/// <summary>
/// Reading saved configs strictly: a missing key or a value of the wrong kind is an <see cref="InvalidDataException"/>
/// naming the key and showing (a bounded excerpt of) what was found, never a .NET cast message.
/// </summary>
public static class Json
{
    /// <summary>How files are parsed: no duplicate keys (which one would win is not obvious), bounded nesting.</summary>
    public static readonly JsonDocumentOptions Strict = new() { MaxDepth = 256, AllowDuplicateProperties = false };

    /// <summary>A JSON array of the integers (shapes, pairs).</summary>
    public static JsonArray Array(IEnumerable<int> values) => new(values.Select(v => (JsonNode)JsonValue.Create(v)!).ToArray());

    /// <summary>The array of integers under <paramref name="key"/>; throws <see cref="InvalidDataException"/> when it is missing or not one.</summary>
    public static int[] IntArray(JsonObject config, string key) => Ints(Required(config, key), key);

    /// <summary>The array of integers under <paramref name="key"/>, or null when absent (or null); throws <see cref="InvalidDataException"/> for any other value.</summary>
    public static int[]? OptionalIntArray(JsonObject config, string key) => config[key] is null ? null : Ints(config[key], key);

    /// <summary>The integer under <paramref name="key"/> (32-bit); throws <see cref="InvalidDataException"/> when it is missing or not one.</summary>
    public static int Int(JsonObject config, string key) => AsInt(Required(config, key), key);

    /// <summary>The integer under <paramref name="key"/> (32-bit), or null when absent; throws <see cref="InvalidDataException"/> for any other value.</summary>
    public static int? OptionalInt(JsonObject config, string key) => config[key] is null ? null : AsInt(config[key], key);

    /// <summary>The 64-bit integer under <paramref name="key"/>, or null when absent; throws <see cref="InvalidDataException"/> for any other value.</summary>
    public static long? OptionalLong(JsonObject config, string key) => config[key] switch
    {
        null => null,
        JsonValue v when v.TryGetValue(out long n) => n,
        var other => throw Wrong(key, "an integer", other),
    };

    /// <summary>The number under <paramref name="key"/>; throws <see cref="InvalidDataException"/> when it is missing or not one.</summary>
    public static double Double(JsonObject config, string key) => AsDouble(Required(config, key), key);

    /// <summary>The number under <paramref name="key"/>, or null when absent; throws <see cref="InvalidDataException"/> for any other value.</summary>
    public static double? OptionalDouble(JsonObject config, string key) => config[key] is null ? null : AsDouble(config[key], key);

    /// <summary>The string under <paramref name="key"/>; throws <see cref="InvalidDataException"/> when it is missing or not one.</summary>
    public static string String(JsonObject config, string key) => AsString(Required(config, key), key);

    /// <summary>The string under <paramref name="key"/>, or null when absent; throws <see cref="InvalidDataException"/> for any other value.</summary>
    public static string? OptionalString(JsonObject config, string key) => config[key] is null ? null : AsString(config[key], key);

    /// <summary>The boolean under <paramref name="key"/>, or <paramref name="fallback"/> when absent; throws <see cref="InvalidDataException"/> for any other value.</summary>
    public static bool Bool(JsonObject config, string key, bool fallback) => config[key] switch
    {
        null => fallback,
        JsonValue v when v.TryGetValue(out bool b) => b,
        var other => throw Wrong(key, "true or false", other),
    };

    /// <summary>The object under <paramref name="key"/>; throws <see cref="InvalidDataException"/> when it is missing or not one.</summary>
    public static JsonObject Object(JsonObject config, string key) =>
        Required(config, key) as JsonObject ?? throw Wrong(key, "an object", config[key]);

    /// <summary>The array under <paramref name="key"/>; throws <see cref="InvalidDataException"/> when it is missing or not one.</summary>
    public static JsonArray Array(JsonObject config, string key) =>
        Required(config, key) as JsonArray ?? throw Wrong(key, "an array", config[key]);

    /// <summary>An array of strings (class names, metric names), or null when absent.</summary>
    public static List<string>? OptionalStringArray(JsonObject config, string key) => config[key] switch
    {
        null => null,
        JsonArray a => a.Select(n => AsString(n, key)).ToList(),
        var other => throw Wrong(key, "an array of strings", other),
    };

    /// <summary>The value under <paramref name="key"/>; throws <see cref="InvalidDataException"/> listing the keys there are when it is missing or null.</summary>
    public static JsonNode Required(JsonObject config, string key) =>
        config[key] ?? throw new InvalidDataException($"config is missing '{key}' (has {Excerpt.Of(string.Join(", ", config.Select(kv => kv.Key)))}).");

    internal static int AsInt(JsonNode? node, string key) =>
        node is JsonValue v && v.TryGetValue(out int n) ? n : throw Wrong(key, "an integer", node);

    private static double AsDouble(JsonNode? node, string key) =>
        node is JsonValue v && v.TryGetValue(out double d) ? d : throw Wrong(key, "a number", node);

    private static string AsString(JsonNode? node, string key) =>
        node is JsonValue v && v.TryGetValue(out string? s) ? s : throw Wrong(key, "a string", node);

    private static int[] Ints(JsonNode? node, string key) =>
        node is JsonArray a ? a.Select(n => AsInt(n, key)).ToArray() : throw Wrong(key, "an array of integers", node);

    internal static InvalidDataException Wrong(string key, string expected, JsonNode? found) =>
        new($"'{key}' must be {expected}, got {Excerpt.Of(found?.ToJsonString() ?? "null")}.");
}
