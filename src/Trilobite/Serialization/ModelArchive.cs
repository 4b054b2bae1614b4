using System.IO.Compression;
using System.IO.Hashing;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Trilobite.Losses;

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
    /// <summary>An entry is read into one array, so ~2 GiB of weights per file (VGG16 is 0.55 GB).</summary>
    private static readonly long MaxEntryBytes = Array.MaxLength;
    private const int MaxConfigBytes = 64 << 20;
    private const string Format = "trilobite-model";
    private const int Version = 1;

    /// <summary>Writes <paramref name="model"/> (config, weights, compile settings, optimizer state, epochs and steps done and class names) to <paramref name="path"/> as one zip, atomically.</summary>
    public static void Save(Model model, string path)
    {
        var config = new JsonObject
        {
            ["format"] = Format,
            ["version"] = Version,
            ["model"] = ModelConfig.Write(model),
            ["training"] = TrainingConfig(model),
        };
        if (model.Metadata.Count > 0)
            config["metadata"] = new JsonObject(model.Metadata.OrderBy(kv => kv.Key, StringComparer.Ordinal).Select(kv => KeyValuePair.Create(kv.Key, (JsonNode?)kv.Value)));
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

    /// <summary>
    /// Reads a model written by <see cref="Save"/>, its weights placed on <paramref name="device"/> when given, compiled again and
    /// with its optimizer state if it was saved so. Throws <see cref="FileNotFoundException"/> for a missing file and
    /// <see cref="InvalidDataException"/>, naming the file, for a corrupt or unsupported one.
    /// </summary>
    public static Model Load(string path, Device? device = null)
    {
        if (!File.Exists(path)) throw new FileNotFoundException($"{path}: no such model file.", path);
        try
        {
            using var zip = OpenZip(path);
            long fileBytes = new FileInfo(path).Length;
            RefuseDuplicateEntries(zip);
            var config = JsonNode.Parse(ReadEntry(zip, "config.json", MaxConfigBytes, fileBytes), documentOptions: Json.Strict) as JsonObject
                ?? throw new InvalidDataException("config.json is not a JSON object.");
            if (Json.OptionalString(config, "format") != Format)
                throw new InvalidDataException($"not a Trilobite model (config.json has format {Excerpt.Of(config["format"]?.ToJsonString() ?? "missing")}).");
            int version = Json.OptionalInt(config, "version") ?? 0;
            if (version != Version)
                throw new InvalidDataException($"format version {version}; this Trilobite reads version {Version}{(version > Version ? " (the file is from a newer Trilobite)" : "")}.");
            var model = ModelConfig.Read(Json.Object(config, "model"));
            if (device != null) model.To(device);   // before the weights exist, so they are written straight to the device
            LoadWeights(model, SafeTensors.Read(ReadEntry(zip, "model.safetensors", MaxEntryBytes, fileBytes), "model.safetensors"));
            if (config["metadata"] is { } metadata) ReadMetadata(model, metadata);
            if (config["training"] is JsonObject training) RestoreTraining(model, training, zip, fileBytes);
            return model;
        }
        catch (InvalidDataException e) when (!e.Message.StartsWith(path, StringComparison.Ordinal))
        {
            throw new InvalidDataException($"{path}: {ErrorText.Of(e)}", e);
        }
        catch (Exception e) when (e is JsonException or ArgumentException or InvalidOperationException or FormatException or KeyNotFoundException
            or IndexOutOfRangeException or OverflowException or IOException and not FileNotFoundException)
        {
            // What the checks above did not foresee (a deflate stream that does not decode) still names the file, in the user's words.
            throw new InvalidDataException($"{path}: corrupt or unsupported model file ({ErrorText.Of(e)}).", e);
        }
    }

    /// <summary>The metadata object: string values only.</summary>
    private static void ReadMetadata(Model model, JsonNode metadata)
    {
        if (metadata is not JsonObject entries) throw Json.Wrong("metadata", "an object of strings", metadata);
        foreach (var (key, value) in entries)
            model.Metadata[key] = value is JsonValue v && v.TryGetValue(out string? text) ? text : throw Json.Wrong("metadata." + Excerpt.Of(key), "a string", value);
    }

    private static JsonObject TrainingConfig(Model model)
    {
        var t = new JsonObject { ["completed_epochs"] = model.CompletedEpochs };
        if (model.SaveProgress() is { } progress) t["epoch_progress"] = EpochProgressConfig.Write(progress);
        if (model.Loss != null) { t["loss"] = model.Loss.Name; t["from_logits"] = model.Loss.FromLogits; t["reduction"] = LossReductions.Name(model.Loss.Reduction); }
        if (model.Loss is SparseCategoricalCrossentropy { ClassWeights: { } classWeights }) t["class_weights"] = new JsonArray(classWeights.Select(w => (JsonNode)w).ToArray());
        if (model.Optimizer != null) { t["optimizer"] = model.Optimizer.GetConfig(); t["iterations"] = model.Optimizer.Iterations; }
        t["metrics"] = new JsonArray(model.Metrics.Select(m => (JsonNode)m.ConfigName).ToArray());
        if (model.ClassNames != null) t["class_names"] = new JsonArray(model.ClassNames.Select(n => (JsonNode)n).ToArray());
        return t;
    }

    private static void RestoreTraining(Model model, JsonObject t, ZipArchive zip, long fileBytes)
    {
        model.CompletedEpochs = Json.OptionalInt(t, "completed_epochs") is not int epochs ? 0       // files from before the field: a fresh start
            : epochs >= 0 ? epochs
            : throw Json.Wrong("completed_epochs", "a count of epochs, 0 or more", t["completed_epochs"]);
        var progress = t["epoch_progress"] is null ? null : EpochProgressConfig.Read(t["epoch_progress"], model.CompletedEpochs);
        model.LoadProgress(progress);
        if (Json.OptionalStringArray(t, "class_names") is { } names) model.ClassNames = ClassNamesFor(model, names);
        if (t["loss"] is null || t["optimizer"] is not JsonObject optimizerConfig) return;
        var optimizer = Optimizer.FromConfig(optimizerConfig);
        long iterations = Json.OptionalLong(t, "iterations") is long i and >= 0 ? i : throw Json.Wrong("iterations", "a step count, 0 or more", t["iterations"]);
        var slots = SafeTensors.Read(ReadEntry(zip, "optimizer.safetensors", MaxEntryBytes, fileBytes), "optimizer.safetensors");
        CheckOptimizerSlots(model, slots);
        optimizer.SetState(slots.ToDictionary(kv => kv.Key, kv => kv.Value.Data), iterations);
        var metrics = (Json.OptionalStringArray(t, "metrics") ?? []).Select(Metric.FromName).ToList();
        var loss = Loss.FromName(Json.String(t, "loss"), Json.Bool(t, "from_logits", false), LossReductions.Parse(Json.OptionalString(t, "reduction")));
        if (t["class_weights"] != null)
        {
            if (loss is not SparseCategoricalCrossentropy) throw Json.Wrong("class_weights", "absent for a loss other than sparse_categorical_crossentropy", t["class_weights"]);
            loss = new SparseCategoricalCrossentropy { FromLogits = loss.FromLogits, Reduction = loss.Reduction, ClassWeights = ClassWeights(t, model) };
        }
        model.Compile(loss, optimizer, metrics);
        if (progress != null) EpochProgressConfig.CheckMetrics(progress, metrics);
    }

    /// <summary>The sparse cross-entropy's class weights: one number per output unit.</summary>
    private static float[] ClassWeights(JsonObject t, Model model)
    {
        int units = model.OutputShape.Length > 0 ? model.OutputShape[^1] : 0;
        if (t["class_weights"] is not JsonArray a || a.Count != units || a.Any(v => v is not JsonValue j || !j.TryGetValue(out double _)))
            throw Json.Wrong("class_weights", $"a list of {units} numbers, one per output unit", t["class_weights"]);
        return a.Select(v => (float)v!.GetValue<double>()).ToArray();
    }

    /// <summary>Class names are one per output unit: a list of another length would label predictions wrongly.</summary>
    private static List<string> ClassNamesFor(Model model, List<string> names)
    {
        int units = model.OutputShape.Length > 0 ? model.OutputShape[^1] : 0;
        if (names.Count != units)
            throw new InvalidDataException($"config.json lists {names.Count} class names, but the model has {units} outputs.");
        return names;
    }

    /// <summary>Every optimizer slot is "weight path/slot index" and holds one value per value of that weight.</summary>
    private static void CheckOptimizerSlots(Model model, Dictionary<string, (int[] Shape, float[] Data)> slots)
    {
        var sizes = model.Weights.ToDictionary(w => w.Path, w => w.Size);
        foreach (var (key, (_, data)) in slots)
        {
            int slash = key.LastIndexOf('/');
            string weight = slash > 0 ? key[..slash] : key;
            if (!sizes.TryGetValue(weight, out int size))
                throw new InvalidDataException($"optimizer.safetensors has state '{Excerpt.Of(key)}' for a weight the model does not have.");
            if (data.Length != size)
                throw new InvalidDataException($"optimizer.safetensors has {data.Length} values in '{Excerpt.Of(key)}', but weight '{weight}' has {size}.");
        }
    }

    private static void LoadWeights(Model model, Dictionary<string, (int[] Shape, float[] Data)> stored)
    {
        foreach (var w in model.Weights)
        {
            if (!stored.TryGetValue(w.Path, out var entry))
                throw new InvalidDataException($"model.safetensors has no weight '{w.Path}'.");
            if (!entry.Shape.SequenceEqual(w.Shape))
                throw new InvalidDataException($"weight '{w.Path}' is stored with shape {ShapeText.Of(entry.Shape)}, but the architecture needs {ShapeText.Of(w.Shape)}.");
            w.Assign(entry.Data);
        }
    }

    private static void WriteEntry(ZipArchive zip, string name, byte[] content)
    {
        using var stream = zip.CreateEntry(name, CompressionLevel.Fastest).Open();
        stream.Write(content);
    }

    /// <summary>The zip reader's own complaints ("End of Central Directory record could not be found") are its internals; the user learns what the file is not.</summary>
    private static ZipArchive OpenZip(string path)
    {
        var file = File.OpenRead(path);
        try { return new ZipArchive(file, ZipArchiveMode.Read); }
        catch (Exception e)
        {
            file.Dispose();
            if (e is InvalidDataException)
                throw new InvalidDataException("not a Trilobite model file (not a zip archive, or truncated: its directory at the end is missing).");
            throw;
        }
    }

    /// <summary>Two entries of one name: which one a reader takes differs between zip libraries, so a file could show one model and load another.</summary>
    private static void RefuseDuplicateEntries(ZipArchive zip)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var entry in zip.Entries)
            if (!seen.Add(entry.FullName)) throw new InvalidDataException($"the archive holds two entries named '{Excerpt.Of(entry.FullName)}'.");
    }

    /// <summary>Deflate's largest expansion (a 258-byte match in about two bits): no entry of an archive holds more than this times its size.</summary>
    private const long MaxDeflateRatio = 1032;

    /// <summary>
    /// Reads an entry, refusing one whose declared or actual size passes <paramref name="limit"/> or whose CRC-32 does not
    /// match. The buffer is the declared size, so a size no data of a <paramref name="fileBytes"/>-byte archive could
    /// inflate to is refused before it is allocated (a 5 KB file declaring 1.4 GB, found by the 100,000-input fuzzing run).
    /// </summary>
    private static byte[] ReadEntry(ZipArchive zip, string name, long limit, long fileBytes)
    {
        var entry = zip.GetEntry(name) ?? throw new InvalidDataException($"the archive has no '{name}'.");
        if (entry.Length > limit)
            throw new InvalidDataException($"'{name}' declares {entry.Length} bytes, more than the {limit}-byte limit.");
        if (entry.Length > Math.Min(entry.CompressedLength, fileBytes) * MaxDeflateRatio + 1024)
            throw new InvalidDataException($"'{name}' declares {entry.Length:N0} bytes, more than its {Math.Min(entry.CompressedLength, fileBytes):N0} compressed bytes can hold (damaged).");
        var buffer = new byte[entry.Length];
        var (read, more) = Inflate(entry, buffer, name);
        if (read < buffer.Length) throw new InvalidDataException($"'{name}' is truncated ({read} of {entry.Length} bytes).");
        if (more) throw new InvalidDataException($"'{name}' holds more data than its declared {entry.Length} bytes.");
        // The zip reader does not check the checksum: without this, a flipped bit in stored data would load as a different weight.
        uint crc = Crc32.HashToUInt32(buffer);
        if (crc != entry.Crc32) throw new InvalidDataException($"'{name}' is damaged (CRC-32 {crc:x8}, the archive records {entry.Crc32:x8}).");
        return buffer;
    }

    /// <summary>Decompresses into <paramref name="buffer"/>: the bytes read, and whether the entry held more.</summary>
    private static (int Read, bool More) Inflate(ZipArchiveEntry entry, byte[] buffer, string name)
    {
        try
        {
            using var stream = entry.Open();
            int read = 0, n;
            while (read < buffer.Length && (n = stream.Read(buffer, read, buffer.Length - read)) > 0) read += n;
            return (read, read == buffer.Length && stream.ReadByte() != -1);
        }
        catch (Exception e) when (e is InvalidDataException or IOException or NotSupportedException)
        {
            // The decompressor's words ("Block length does not match with its complement") mean one thing here.
            throw new InvalidDataException($"'{name}' is damaged (its compressed data does not decode).", e);
        }
    }
}
