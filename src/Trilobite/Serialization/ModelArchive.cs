using System.IO.Compression;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Trilobite.Serialization;

/// <summary>
/// A saved model: one zip archive holding <c>config.json</c> (architecture, compile settings, epochs
/// done), <c>model.safetensors</c> (weights by "layer/weight" path) and <c>optimizer.safetensors</c>
/// (optimizer slots), so training can resume. Written to a temporary file and moved into place, so
/// a crash never leaves a half-written model. Reading bounds every size and reports what is wrong
/// with which file; it never runs code from the file. Values are stored as float32 whatever the device (as Keras stores
/// them): a model saved from the Reference device is rounded to float, and loads on any device.
/// </summary>
public static class ModelArchive
{
    private const long MaxEntryBytes = 8L << 30;
    private const int MaxConfigBytes = 64 << 20;
    private const string Format = "trilobite-model";

    public static void Save(Model model, string path)
    {
        var config = new JsonObject
        {
            ["format"] = Format,
            ["version"] = 1,
            ["model"] = ModelConfig.Write(model),
            ["training"] = TrainingConfig(model),
        };
        var weights = model.Weights.Select(w => (w.Path, w.Shape, w.Value.ToArray())).ToList();
        var optimizerState = model.Optimizer?.GetState().Slots.Select(kv => (kv.Key, new[] { kv.Value.Length }, kv.Value)).ToList() ?? [];
        AtomicFile.Write(path, stream =>
        {
            using var zip = new ZipArchive(stream, ZipArchiveMode.Create, leaveOpen: true);
            WriteEntry(zip, "config.json", Encoding.UTF8.GetBytes(config.ToJsonString(new JsonSerializerOptions { WriteIndented = true })));
            WriteEntry(zip, "model.safetensors", SafeTensors.Write(weights));
            WriteEntry(zip, "optimizer.safetensors", SafeTensors.Write(optimizerState));
        });
    }

    public static Model Load(string path, Device? device = null)
    {
        if (!File.Exists(path)) throw new FileNotFoundException($"{path}: no such model file.", path);
        try
        {
            using var zip = new ZipArchive(File.OpenRead(path), ZipArchiveMode.Read);
            var config = JsonNode.Parse(ReadEntry(zip, "config.json", path, MaxConfigBytes), documentOptions: new JsonDocumentOptions { MaxDepth = 256 }) as JsonObject
                ?? throw new InvalidDataException($"{path}: config.json is not a JSON object.");
            if (config["format"]?.GetValue<string>() != Format)
                throw new InvalidDataException($"{path}: not a Trilobite model (config.json has format {config["format"]?.ToJsonString() ?? "missing"}).");
            var model = ModelConfig.Read(config["model"] as JsonObject ?? throw new InvalidDataException($"{path}: config.json has no 'model'."));
            if (device != null) model.To(device);   // before the weights exist, so they are written straight to the device
            LoadWeights(model, SafeTensors.Read(ReadEntry(zip, "model.safetensors", path, MaxEntryBytes), $"{path}: model.safetensors"), path);
            if (config["training"] is JsonObject training) RestoreTraining(model, training, zip, path);
            return model;
        }
        catch (InvalidDataException e) when (!e.Message.StartsWith(path, StringComparison.Ordinal))
        {
            throw new InvalidDataException($"{path}: {e.Message}", e);
        }
        catch (Exception e) when (e is JsonException or ArgumentException or InvalidOperationException or FormatException or KeyNotFoundException or IOException and not FileNotFoundException)
        {
            throw new InvalidDataException($"{path}: corrupt or unsupported model file ({e.GetType().Name}: {e.Message}).", e);
        }
    }

    private static JsonObject TrainingConfig(Model model)
    {
        var t = new JsonObject { ["completed_epochs"] = model.CompletedEpochs };
        if (model.Loss != null) { t["loss"] = model.Loss.Name; t["from_logits"] = model.Loss.FromLogits; t["reduction"] = LossReductions.Name(model.Loss.Reduction); }
        if (model.Optimizer != null) { t["optimizer"] = model.Optimizer.GetConfig(); t["iterations"] = model.Optimizer.Iterations; }
        t["metrics"] = new JsonArray(model.Metrics.Select(m => (JsonNode)m.Name).ToArray());
        if (model.ClassNames != null) t["class_names"] = new JsonArray(model.ClassNames.Select(n => (JsonNode)n).ToArray());
        return t;
    }

    private static void RestoreTraining(Model model, JsonObject t, ZipArchive zip, string path)
    {
        model.CompletedEpochs = t["completed_epochs"]?.GetValue<int>() ?? 0;
        if (t["class_names"] is JsonArray names) model.ClassNames = names.Select(n => n!.GetValue<string>()).ToList();
        if (t["loss"] is null || t["optimizer"] is not JsonObject optimizerConfig) return;
        var optimizer = Optimizer.FromConfig(optimizerConfig);
        var slots = SafeTensors.Read(ReadEntry(zip, "optimizer.safetensors", path, MaxEntryBytes), $"{path}: optimizer.safetensors");
        optimizer.SetState(slots.ToDictionary(kv => kv.Key, kv => kv.Value.Data), t["iterations"]?.GetValue<long>() ?? 0);
        var metrics = (t["metrics"] as JsonArray)?.Select(m => Metric.FromName(m!.GetValue<string>())).ToList() ?? [];
        model.Compile(Loss.FromName(t["loss"]!.GetValue<string>(), t["from_logits"]?.GetValue<bool>() ?? false,
            LossReductions.Parse(t["reduction"]?.GetValue<string>())), optimizer, metrics);
    }

    private static void LoadWeights(Model model, Dictionary<string, (int[] Shape, float[] Data)> stored, string path)
    {
        foreach (var w in model.Weights)
        {
            if (!stored.TryGetValue(w.Path, out var entry))
                throw new InvalidDataException($"{path}: model.safetensors has no weight '{w.Path}'.");
            if (!entry.Shape.SequenceEqual(w.Shape))
                throw new InvalidDataException($"{path}: weight '{w.Path}' is stored with shape {ShapeText.Of(entry.Shape)}, but the architecture needs {ShapeText.Of(w.Shape)}.");
            w.Assign(entry.Data);
        }
    }

    private static void WriteEntry(ZipArchive zip, string name, byte[] content)
    {
        using var stream = zip.CreateEntry(name, CompressionLevel.Fastest).Open();
        stream.Write(content);
    }

    /// <summary>Reads an entry, refusing one whose declared or actual size passes <paramref name="limit"/>.</summary>
    private static byte[] ReadEntry(ZipArchive zip, string name, string path, long limit)
    {
        var entry = zip.GetEntry(name) ?? throw new InvalidDataException($"{path}: the archive has no '{name}'.");
        if (entry.Length > limit || entry.Length > int.MaxValue)
            throw new InvalidDataException($"{path}: '{name}' declares {entry.Length} bytes, more than the {limit}-byte limit.");
        var buffer = new byte[entry.Length];
        using var stream = entry.Open();
        int read = 0;
        while (read < buffer.Length)
        {
            int n = stream.Read(buffer, read, buffer.Length - read);
            if (n == 0) throw new InvalidDataException($"{path}: '{name}' is truncated ({read} of {entry.Length} bytes).");
            read += n;
        }
        if (stream.ReadByte() != -1) throw new InvalidDataException($"{path}: '{name}' holds more data than its declared {entry.Length} bytes.");
        return buffer;
    }
}
