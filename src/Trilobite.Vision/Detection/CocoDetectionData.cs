using System.Globalization;
using System.Text.Json.Nodes;
using Trilobite.Vision.Data;
using Trilobite.Vision.Imaging;
using Trilobite.Vision.Scenes;

namespace Trilobite.Vision.Detection;

/// <summary>
/// A COCO-format detection dataset: a folder with <c>instances.json</c> (<c>images</c>, <c>annotations</c> with <c>bbox</c>
/// = [x, y, width, height] and <c>category_id</c>, <c>categories</c>) and the images it names. Categories become labels
/// 0 … K − 1 in id order. Every image must have one size. A problem names the file and the entry: a box of negative or
/// non-finite size, an annotation of an unknown image or category, a missing image file, an empty image list.
/// </summary>
public sealed class CocoDetectionData
{
    private CocoDetectionData(float[] pixels, int[] imageShape, List<GroundTruth>[] truth, string[] classNames, string[] files)
    {
        _pixels = pixels;
        ImageShape = imageShape;
        Truth = truth;
        ClassNames = classNames;
        Files = files;
    }

    private readonly float[] _pixels;

    /// <summary>Every image's values in [0, 1], (N, H, W, C) row-major.</summary>
    public ReadOnlyMemory<float> Pixels => _pixels;

    /// <summary>One image's shape: (height, width, channels).</summary>
    public int[] ImageShape { get; }

    /// <summary>Images [start, start + count) as a tensor (count, H, W, C) on the CPU.</summary>
    public Tensor Images(int start, int count)
    {
        int size = ImageShape[0] * ImageShape[1] * ImageShape[2];
        return Tensor.FromArray(_pixels.AsSpan(start * size, count * size).ToArray(), [count, .. ImageShape], Device.Cpu);
    }

    /// <summary>Each image's annotated objects (labels 0 … K − 1).</summary>
    public IReadOnlyList<GroundTruth>[] Truth { get; }

    /// <summary>The categories' names, by label.</summary>
    public IReadOnlyList<string> ClassNames { get; }

    /// <summary>Each image's file, as instances.json names it.</summary>
    public IReadOnlyList<string> Files { get; }

    /// <summary>Images [start, start + count) with their annotations, sharing nothing that changes.</summary>
    public CocoDetectionData Slice(int start, int count)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(start);
        if (count < 1 || start + count > Count) throw new ArgumentOutOfRangeException(nameof(count), $"Images {start} to {start + count - 1} are not all in a dataset of {Count}.");
        int size = ImageShape[0] * ImageShape[1] * ImageShape[2];
        return new CocoDetectionData(_pixels.AsSpan(start * size, count * size).ToArray(), ImageShape, [.. Truth[start..(start + count)].Select(t => t.ToList())],
            [.. ClassNames], [.. Files.Skip(start).Take(count)]);
    }

    /// <summary>Images in the dataset.</summary>
    public int Count => Truth.Length;

    /// <summary>
    /// Reads <paramref name="directory"/>: the first <paramref name="limit"/> images (all when null), as grey
    /// (<paramref name="channels"/> 1) or RGB (3).
    /// </summary>
    public static CocoDetectionData Load(string directory, int channels = 1, int? limit = null)
    {
        if (channels is not (1 or 3)) throw new ArgumentOutOfRangeException(nameof(channels), $"Images are read with 1 or 3 channels, not {channels}.");
        string file = Path.Combine(directory, CocoScenes.AnnotationFile);
        var root = AnnotationFile.Read(file, $"write one with 'trilobite scenes --out {directory}'");
        if (root["images"] is not JsonArray images || images.Count == 0) throw new InvalidDataException($"{file}: 'images' must be a non-empty list.");
        if (root["categories"] is not JsonArray categories || categories.Count == 0) throw new InvalidDataException($"{file}: 'categories' must be a non-empty list.");
        var labelOf = new SortedDictionary<long, string>();
        for (int i = 0; i < categories.Count; i++)
        {
            long id = AnnotationFile.Long(categories[i], "id", file, $"category {i + 1}");
            if (!labelOf.TryAdd(id, AnnotationFile.OptionalString(categories[i], "name") ?? id.ToString(CultureInfo.InvariantCulture)))
                throw new InvalidDataException($"{file}: category {i + 1}: id {id} appears twice.");
        }
        var labels = labelOf.Keys.Select((id, label) => (id, label)).ToDictionary(p => p.id, p => p.label);
        int count = Math.Min(images.Count, limit ?? int.MaxValue);
        var indexOf = new Dictionary<long, int>();
        var files = new string[count];
        for (int i = 0; i < count; i++)
        {
            long id = AnnotationFile.Long(images[i], "id", file, $"image {i + 1}");
            if (!indexOf.TryAdd(id, i)) throw new InvalidDataException($"{file}: image {i + 1}: id {id} appears twice.");
            files[i] = AnnotationFile.OptionalString(images[i], "file_name") ?? throw new InvalidDataException($"{file}: image {i + 1} (id {id}) has no 'file_name'.");
        }
        var beyondLimit = new HashSet<long>();     // images past the limit: their annotations are skipped, not errors
        for (int i = count; i < images.Count; i++) if (AnnotationFile.OptionalLong(images[i], "id") is long id) beyondLimit.Add(id);
        var truth = Enumerable.Range(0, count).Select(_ => new List<GroundTruth>()).ToArray();
        if (root["annotations"] is JsonArray annotations)
            for (int a = 0; a < annotations.Count; a++)
            {
                string where = $"annotation {a + 1}" + (annotations[a] is JsonObject o && o["id"] is JsonValue v ? $" (id {Excerpt.Of(v.ToJsonString())})" : "");
                long imageId = AnnotationFile.Long(annotations[a], "image_id", file, where), categoryId = AnnotationFile.Long(annotations[a], "category_id", file, where);
                if (!labels.TryGetValue(categoryId, out int label))
                    throw new InvalidDataException($"{file}: {where}: category_id {categoryId} is not among the categories ({string.Join(", ", labels.Keys)}).");
                if (!indexOf.TryGetValue(imageId, out int image))
                {
                    if (beyondLimit.Contains(imageId)) continue;
                    throw new InvalidDataException($"{file}: {where}: image_id {imageId} is not among the images.");
                }
                truth[image].Add(new GroundTruth(BoxOf(annotations[a], file, where), label, AnnotationFile.OptionalLong(annotations[a], "iscrowd") == 1));
            }
        var (pixels, shape) = ReadImages(directory, file, files, channels);
        return new CocoDetectionData(pixels, shape, truth, [.. labelOf.Values], files);
    }

    private static Box BoxOf(JsonNode? annotation, string file, string where)
    {
        if (annotation?["bbox"] is not JsonArray b || b.Count != 4 || b.Any(v => v is not JsonValue j || !j.TryGetValue(out double _)))
            throw new InvalidDataException($"{file}: {where}: 'bbox' must be [x, y, width, height], four numbers.");
        double[] v = [.. b.Select(n => n!.GetValue<double>())];
        if (v.Any(x => !double.IsFinite(x) || Math.Abs(x) > 1e7)) throw new InvalidDataException($"{file}: {where}: bbox [{string.Join(", ", v)}] must be finite.");
        if (v[2] < 0 || v[3] < 0) throw new InvalidDataException($"{file}: {where}: bbox width {v[2]} and height {v[3]} must be 0 or more (x2 before x1?).");
        return new Box((float)v[0], (float)v[1], (float)(v[0] + v[2]), (float)(v[1] + v[3]));
    }

    private static (float[] Pixels, int[] Shape) ReadImages(string directory, string file, string[] files, int channels)
    {
        int h = 0, w = 0;
        float[]? all = null;
        for (int i = 0; i < files.Length; i++)
        {
            string path = Path.Combine(directory, files[i]);
            if (!File.Exists(path)) throw new FileNotFoundException($"{file}: image {i + 1} names {path}, which does not exist.");
            var picture = ImageFile.Load(path);
            if (i == 0)
            {
                (h, w) = (picture.Height, picture.Width);
                if ((long)files.Length * h * w * channels > int.MaxValue) throw new InvalidDataException($"{file}: {files.Length} images of {w}×{h} do not fit one tensor; load fewer.");
                all = new float[files.Length * h * w * channels];
            }
            else if (picture.Width != w || picture.Height != h)
                throw new InvalidDataException($"{path}: {picture.Width}×{picture.Height}, but the first image is {w}×{h}; every image must have one size.");
            ImageSampler.Sample(picture, h, w, channels == 1 ? ColorMode.Grayscale : ColorMode.Rgb, geometry: null, all.AsSpan(i * h * w * channels, h * w * channels));
        }
        return (all!, [h, w, channels]);
    }
}
