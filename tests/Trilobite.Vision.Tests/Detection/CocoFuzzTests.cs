using System.Text;
using System.Text.Json.Nodes;
using Trilobite.Testing;
using Trilobite.Vision.Detection;
using Trilobite.Vision.Imaging;
using Trilobite.Vision.Scenes;

namespace Trilobite.Vision.Tests.Detection;

/// <summary>
/// Thousands of mutated COCO annotation files (seeded <see cref="Mutator"/>, so a failure is reproducible) over a folder of
/// real PNGs: each loads, with boxes that are finite and of non-negative size, or is refused with InvalidDataException or
/// FileNotFoundException whose one-line message starts with the annotation file or the image it names; nothing else is
/// thrown. See docs/RELIABILITY.md.
/// </summary>
public sealed class CocoFuzzTests
{
    private static string ValidAnnotations() => new JsonObject
    {
        ["images"] = new JsonArray([.. Enumerable.Range(0, 3).Select(i => (JsonNode)new JsonObject { ["id"] = i + 1, ["file_name"] = $"{i}.png", ["width"] = 16, ["height"] = 16 })]),
        ["annotations"] = new JsonArray(
            new JsonObject { ["id"] = 1, ["image_id"] = 1, ["category_id"] = 3, ["bbox"] = new JsonArray(1, 2, 5, 6), ["area"] = 30, ["iscrowd"] = 0 },
            new JsonObject { ["id"] = 2, ["image_id"] = 2, ["category_id"] = 7, ["bbox"] = new JsonArray(0.5, 0, 10, 12.5), ["area"] = 125, ["iscrowd"] = 0 },
            new JsonObject { ["id"] = 3, ["image_id"] = 3, ["category_id"] = 3, ["bbox"] = new JsonArray(4, 4, 0, 0), ["area"] = 0, ["iscrowd"] = 1 }),
        ["categories"] = new JsonArray(new JsonObject { ["id"] = 3, ["name"] = "three" }, new JsonObject { ["id"] = 7, ["name"] = "seven" }),
    }.ToJsonString();

    [Fact]
    public void MutatedAnnotationFilesLoadOrAreRefusedNamingTheFileAndEntry()
    {
        string dir = Directory.CreateTempSubdirectory("trilobite-coco-fuzz-").FullName;
        try
        {
            var random = new Random(3);
            for (int i = 0; i < 3; i++)
            {
                var pixels = new byte[16 * 16 * 3];
                random.NextBytes(pixels);
                ImageFile.SavePng(new RgbImage(16, 16, pixels), Path.Combine(dir, $"{i}.png"));
            }
            string file = Path.Combine(dir, CocoScenes.AnnotationFile), original = ValidAnnotations();
            long imageBytes = Directory.GetFiles(dir, "*.png").Sum(f => new FileInfo(f).Length);
            var mutator = new Mutator(20261202);
            int loaded = 0, refused = 0;
            for (int trial = 0, trials = FuzzBudget.Inputs(3000); trial < trials; trial++)
            {
                var bytes = trial % 4 == 0 ? mutator.Bytes(Encoding.UTF8.GetBytes(original)) : Encoding.UTF8.GetBytes(mutator.Json(original));
                File.WriteAllBytes(file, bytes);
                try
                {
                    var data = FuzzLimits.Within("COCO annotation", trial, bytes, () => CocoDetectionData.Load(dir), FuzzLimits.MaxAllocation(bytes.Length + imageBytes));
                    foreach (var t in data.Truth.SelectMany(t => t))
                    {
                        var b = t.Box;
                        Assert.True(float.IsFinite(b.X1 + b.Y1 + b.X2 + b.Y2) && b.X2 >= b.X1 && b.Y2 >= b.Y1, $"trial {trial}: box {b}");
                        Assert.InRange(t.Label, 0, data.ClassNames.Count - 1);
                    }
                    loaded++;
                }
                catch (Exception e) when (e is InvalidDataException or FileNotFoundException)
                {
                    Assert.True(e.Message.StartsWith(file + ": ", StringComparison.Ordinal) || e.Message.StartsWith(dir, StringComparison.Ordinal),
                        $"trial {trial}: {e.Message}");
                    Assert.DoesNotContain('\n', e.Message);
                    refused++;
                }
            }
            Console.WriteLine($"COCO annotation fuzzing: {loaded + refused:N0} inputs, {loaded:N0} loaded, {refused:N0} refused");
            Assert.True(loaded > 100 && refused > 1000, $"{loaded} loaded, {refused} refused");
        }
        finally { Directory.Delete(dir, recursive: true); }
    }
}
