using System.Text.Json;
using System.Text.Json.Nodes;

namespace Trilobite.Vision.Detection;

/// <summary>Reading a COCO annotation file: bounded in size and depth, and typed fields whose errors name the file and the entry.</summary>
internal static class AnnotationFile
{
    private const long MaxBytes = 512L << 20;

    public static JsonObject Read(string file, string hint)
    {
        if (!File.Exists(file)) throw new FileNotFoundException($"{file}: no such annotation file; {hint}.");
        long length = new FileInfo(file).Length;
        if (length > MaxBytes) throw new InvalidDataException($"{file}: {length} bytes is too large for an annotation file (at most 512 MiB).");
        try
        {
            return JsonNode.Parse(File.ReadAllText(file), documentOptions: new JsonDocumentOptions { MaxDepth = 16, AllowDuplicateProperties = false }) as JsonObject
                ?? throw new InvalidDataException($"{file}: the annotation file must hold a JSON object.");
        }
        catch (JsonException e) { throw new InvalidDataException($"{file}: not valid JSON ({Excerpt.Of(e.Message)})."); }
    }

    public static long Long(JsonNode? entry, string key, string file, string where) =>
        OptionalLong(entry, key) ?? throw new InvalidDataException($"{file}: {where}: '{key}' must be a whole number.");

    public static long? OptionalLong(JsonNode? entry, string key) =>
        entry is JsonObject o && o[key] is JsonValue v && v.TryGetValue(out long n) ? n
        : entry is JsonObject o2 && o2[key] is JsonValue d && d.TryGetValue(out double x) && x == Math.Floor(x) && Math.Abs(x) < 1e15 ? (long)x : null;

    public static string? OptionalString(JsonNode? entry, string key) =>
        entry is JsonObject o && o[key] is JsonValue v && v.TryGetValue(out string? s) ? s : null;
}
