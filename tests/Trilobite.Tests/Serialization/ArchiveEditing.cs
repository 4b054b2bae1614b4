using System.IO.Compression;
using System.Text;
using System.Text.Json.Nodes;

namespace Trilobite.Tests.Serialization;

/// <summary>Makes hostile model files from good ones: entries rewritten with valid zip structure (and CRCs), so the loader's own checks are what is tested.</summary>
internal static class ArchiveEditing
{
    /// <summary>
    /// Saves a small (N, 8, 8, 1) → 3-class model as a real checkpoint: compiled with Adam, one training step taken (so
    /// the file holds optimizer state), class names set.
    /// </summary>
    public static void SaveTrained(Model model, string path, IReadOnlyList<string> classNames, int seed)
    {
        model.Compile(Loss.CategoricalCrossentropy, new Adam(), [Metric.Accuracy]);
        var labels = Tensor.Zeros(4, 3);
        for (int i = 0; i < 4; i++) labels[i, i % 3] = 1;
        model.TrainOnBatch(Tensor.Uniform([4, 8, 8, 1], 0, 1, seed), labels);
        model.ClassNames = classNames;
        model.Save(path);
    }

    /// <summary>The entries of a zip file, in order.</summary>
    public static List<(string Name, byte[] Content)> Entries(byte[] zipBytes)
    {
        using var zip = new ZipArchive(new MemoryStream(zipBytes), ZipArchiveMode.Read);
        return zip.Entries.Select(e =>
        {
            using var s = e.Open();
            var m = new MemoryStream();
            s.CopyTo(m);
            return (e.FullName, m.ToArray());
        }).ToList();
    }

    /// <summary>A zip of these entries (stored, so a test can find an entry's bytes in the file).</summary>
    public static byte[] Zip(IEnumerable<(string Name, byte[] Content)> entries, CompressionLevel level = CompressionLevel.NoCompression)
    {
        var m = new MemoryStream();
        using (var zip = new ZipArchive(m, ZipArchiveMode.Create, leaveOpen: true))
            foreach (var (name, content) in entries)
            {
                using var s = zip.CreateEntry(name, level).Open();
                s.Write(content);
            }
        return m.ToArray();
    }

    /// <summary>Rewrites the file with <paramref name="edit"/> applied to config.json.</summary>
    public static void EditConfig(string path, Action<JsonObject> edit) => EditEntry(path, "config.json", bytes =>
    {
        var config = (JsonObject)JsonNode.Parse(bytes)!;
        edit(config);
        return Encoding.UTF8.GetBytes(config.ToJsonString());
    });

    public static void EditEntry(string path, string name, Func<byte[], byte[]> edit) =>
        File.WriteAllBytes(path, Zip(Entries(File.ReadAllBytes(path)).Select(e => e.Name == name ? (e.Name, edit(e.Content)) : e)));

    /// <summary>The first layer config (a Sequential's or a functional model's) that has this class name.</summary>
    public static JsonObject LayerConfig(JsonObject config, string className) =>
        (JsonObject)config["model"]!["config"]!["layers"]!.AsArray().First(l => (string)l!["class_name"]! == className)!["config"]!;
}
