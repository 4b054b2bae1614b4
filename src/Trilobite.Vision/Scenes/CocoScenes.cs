using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Trilobite.Serialization;
using Trilobite.Vision.Imaging;

namespace Trilobite.Vision.Scenes;

/// <summary>
/// Scenes as COCO-format data, so that other tools (pycocotools, torchvision) read the same benchmark: <c>images/*.png</c>,
/// <c>masks/*.png</c> (each pixel its mask class: 0 background, 1 + digit) and <c>instances.json</c> with
/// <c>images</c>, <c>annotations</c> (<c>bbox</c> = [x, y, width, height], <c>category_id</c> = digit + 1, since
/// detectors reserve 0 for the background) and <c>categories</c> named "0" … "9".
/// </summary>
public static class CocoScenes
{
    /// <summary>The annotation file's name inside a scene folder.</summary>
    public const string AnnotationFile = "instances.json";

    /// <summary>
    /// Writes scenes 0 … <paramref name="count"/> − 1 of <paramref name="seed"/> to <paramref name="directory"/> (created),
    /// calling <paramref name="progress"/> with the number written every 500 scenes and at the end. The annotation file is
    /// written last and atomically: a folder with one is complete.
    /// </summary>
    public static void Write(string directory, DigitSceneGenerator generator, int seed, int count, Action<int>? progress = null)
    {
        ArgumentNullException.ThrowIfNull(generator);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(count);
        Directory.CreateDirectory(Path.Combine(directory, "images"));
        Directory.CreateDirectory(Path.Combine(directory, "masks"));
        var images = new JsonArray();
        var annotations = new JsonArray();
        int annotationId = 1;
        for (int i = 0; i < count; i++)
        {
            var scene = generator.Scene(seed, i);
            string name = $"{i:D6}.png";
            // The images go straight to their files; instances.json, written last and atomically, marks the folder complete.
            ImageFile.SavePng(new GrayImage(scene.Width, scene.Height, scene.Pixels), Path.Combine(directory, "images", name), atomic: false);
            ImageFile.SavePng(new GrayImage(scene.Width, scene.Height, scene.Mask), Path.Combine(directory, "masks", name), atomic: false);
            images.Add(new JsonObject { ["id"] = i + 1, ["file_name"] = "images/" + name, ["mask_file"] = "masks/" + name, ["width"] = scene.Width, ["height"] = scene.Height });
            foreach (var o in scene.Objects)
                annotations.Add(new JsonObject
                {
                    ["id"] = annotationId++, ["image_id"] = i + 1, ["category_id"] = o.Label + 1,
                    ["bbox"] = new JsonArray(o.X1, o.Y1, o.Width, o.Height), ["area"] = o.Width * o.Height, ["iscrowd"] = 0,
                });
            if ((i + 1) % 500 == 0 || i + 1 == count) progress?.Invoke(i + 1);
        }
        var categories = new JsonArray([.. Enumerable.Range(0, 10).Select(d => (JsonNode)new JsonObject { ["id"] = d + 1, ["name"] = d.ToString(CultureInfo.InvariantCulture) })]);
        var root = new JsonObject
        {
            ["info"] = new JsonObject { ["description"] = $"Trilobite digit scenes, seed {seed}, {count} scenes", ["version"] = "1" },
            ["images"] = images, ["annotations"] = annotations, ["categories"] = categories,
        };
        AtomicFile.Write(Path.Combine(directory, AnnotationFile), s => JsonSerializer.Serialize(s, root));
    }
}
