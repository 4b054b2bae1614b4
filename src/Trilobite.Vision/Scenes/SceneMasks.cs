using System.Text.Json.Nodes;
using Trilobite.Serialization;
using Trilobite.Vision.Imaging;

namespace Trilobite.Vision.Scenes;

/// <summary>
/// A scene folder (written by <see cref="CocoScenes"/> or <c>trilobite scenes</c>) as segmentation data: X (N, 128, 128, 1)
/// grey values in [0, 1] and Y (N, 128, 128) mask classes 0 … 10, one per pixel, for per-pixel sparse cross-entropy.
/// Every image must have a mask of its size whose values are classes; a problem names the file.
/// </summary>
public static class SceneMasks
{
    /// <summary>Loads the first <paramref name="limit"/> scenes (all when null) of <paramref name="directory"/>.</summary>
    public static Dataset Load(string directory, int? limit = null)
    {
        string annotations = Path.Combine(directory, CocoScenes.AnnotationFile);
        if (!File.Exists(annotations))
            throw new FileNotFoundException($"{directory}: no {CocoScenes.AnnotationFile}; write a scene folder with 'trilobite scenes --out {directory}'.");
        var info = new FileInfo(annotations);
        if (info.Length > 512L << 20) throw new InvalidDataException($"{annotations}: {info.Length} bytes is too large for an annotation file (at most 512 MiB).");
        JsonNode? root;
        try { root = JsonNode.Parse(File.ReadAllText(annotations), documentOptions: new System.Text.Json.JsonDocumentOptions { MaxDepth = 16 }); }
        catch (System.Text.Json.JsonException e) { throw new InvalidDataException($"{annotations}: not valid JSON ({Excerpt.Of(e.Message)})."); }
        if (root?["images"] is not JsonArray images || images.Count == 0)
            throw new InvalidDataException($"{annotations}: 'images' must be a non-empty list of scenes.");
        int count = Math.Min(images.Count, limit ?? int.MaxValue);
        var first = ReadEntry(directory, annotations, images[0], 0);
        int h = first.Image.Height, w = first.Image.Width, pixels = h * w;
        if ((long)count * pixels > int.MaxValue)
            throw new InvalidDataException($"{annotations}: {count} scenes of {w}×{h} do not fit one tensor; load fewer.");
        var x = new float[count * pixels];
        var y = new float[count * pixels];
        for (int i = 0; i < count; i++)
        {
            var (image, mask, maskPath) = i == 0 ? first : ReadEntry(directory, annotations, images[i], i);
            if (image.Width != w || image.Height != h)
                throw new InvalidDataException($"{annotations}: image {i + 1} is {image.Width}×{image.Height}, the first {w}×{h}; every scene must have one size.");
            for (int p = 0; p < pixels; p++)
            {
                byte c = mask.Pixels[p];
                if (c >= DigitScene.MaskClasses)
                    throw new InvalidDataException($"{maskPath}: pixel ({p % w}, {p / w}) is class {c}; mask classes are 0 (background) to {DigitScene.MaskClasses - 1}.");
                x[i * pixels + p] = image.Pixels[p] / 255f;
                y[i * pixels + p] = c;
            }
        }
        return new Dataset(Tensor.FromArray(x, [count, h, w, 1], Device.Cpu), Tensor.FromArray(y, [count, h, w], Device.Cpu))
        {
            ClassNames = ["background", .. Enumerable.Range(0, 10).Select(d => d.ToString(System.Globalization.CultureInfo.InvariantCulture))],
        };
    }

    private static (GrayImage Image, GrayImage Mask, string MaskPath) ReadEntry(string directory, string annotations, JsonNode? entry, int index)
    {
        if (entry?["file_name"] is not JsonValue f || !f.TryGetValue(out string? file) || entry["mask_file"] is not JsonValue m || !m.TryGetValue(out string? maskFile))
            throw new InvalidDataException($"{annotations}: image {index + 1} needs 'file_name' and 'mask_file' (a segmentation scene folder).");
        string imagePath = Path.Combine(directory, file), maskPath = Path.Combine(directory, maskFile);
        foreach (string path in new[] { imagePath, maskPath })
            if (!File.Exists(path)) throw new FileNotFoundException($"{annotations}: image {index + 1} names {path}, which does not exist.");
        var image = ImageFile.Load(imagePath).ToGray();
        var mask = ImageFile.Load(maskPath).ToGray();
        if (mask.Width != image.Width || mask.Height != image.Height)
            throw new InvalidDataException($"{maskPath}: the mask is {mask.Width}×{mask.Height} but its image {imagePath} is {image.Width}×{image.Height}.");
        return (image, mask, maskPath);
    }
}
