using System.Text.Json.Nodes;
using Trilobite.Data;
using Trilobite.Vision.Imaging;
using Trilobite.Vision.Scenes;

namespace Trilobite.Vision.Tests.Scenes;

/// <summary>The digit-scene benchmark: seeded, 1–5 real digits per scene, tight boxes, masks that agree, COCO files that say the same.</summary>
public sealed class DigitSceneTests
{
    private static readonly DigitSceneGenerator Test = DigitSceneGenerator.FromSample(test: true);

    [Fact]
    public void ASceneDependsOnlyOnItsSeedAndIndex()
    {
        var again = DigitSceneGenerator.FromSample(test: true);
        Assert.Equal(Test.Scene(3, 17).Pixels, again.Scene(3, 17).Pixels);
        Assert.Equal(Test.Scene(3, 17).Objects, again.Scene(3, 17).Objects);
        Assert.NotEqual(Test.Scene(3, 17).Pixels, Test.Scene(4, 17).Pixels);
        Assert.NotEqual(Test.Scene(3, 17).Pixels, Test.Scene(3, 18).Pixels);
        // The test scenes are made of the sample's test digits.
        Assert.Equal(new DigitSceneGenerator(Mnist.LoadSample().Test).Scene(1, 0).Pixels, Test.Scene(1, 0).Pixels);
    }

    [Fact]
    public void ScenesHoldOneToFiveDigitsInTightBoxesThatDoNotOverlapAndMasksInsideThem()
    {
        var counts = new int[6];
        for (int i = 0; i < 300; i++)
        {
            var s = Test.Scene(1, i);
            Assert.InRange(s.Objects.Count, 1, 5);
            counts[s.Objects.Count]++;
            for (int a = 0; a < s.Objects.Count; a++)
            {
                var o = s.Objects[a];
                Assert.InRange(o.Label, 0, 9);
                Assert.True(o.X1 >= 0 && o.Y1 >= 0 && o.X2 <= 128 && o.Y2 <= 128 && o.Width >= 1 && o.Height >= 1, $"scene {i}: {o}");
                Assert.True(o.Width <= 56 && o.Height <= 56, $"scene {i}: {o} is larger than a 2× digit");
                for (int b = a + 1; b < s.Objects.Count; b++)
                {
                    var p = s.Objects[b];
                    Assert.True(o.X2 <= p.X1 || p.X2 <= o.X1 || o.Y2 <= p.Y1 || p.Y2 <= o.Y1, $"scene {i}: {o} overlaps {p}");
                }
                // Tight: ink of at least 0.25 (byte 64) on each edge of the box.
                int x1 = (int)o.X1, y1 = (int)o.Y1, x2 = (int)o.X2 - 1, y2 = (int)o.Y2 - 1;
                Assert.Contains(Enumerable.Range(x1, x2 - x1 + 1), x => s.Pixels[y1 * 128 + x] >= 64);
                Assert.Contains(Enumerable.Range(x1, x2 - x1 + 1), x => s.Pixels[y2 * 128 + x] >= 64);
                Assert.Contains(Enumerable.Range(y1, y2 - y1 + 1), y => s.Pixels[y * 128 + x1] >= 64);
                Assert.Contains(Enumerable.Range(y1, y2 - y1 + 1), y => s.Pixels[y * 128 + x2] >= 64);
            }
            // Every mask pixel (ink ≥ 0.5) lies in the box of a digit of its class.
            for (int p = 0; p < s.Mask.Length; p++)
            {
                if (s.Mask[p] == 0) continue;
                int x = p % 128, y = p / 128;
                Assert.Contains(s.Objects, o => o.Label + 1 == s.Mask[p] && x >= o.X1 && x < o.X2 && y >= o.Y1 && y < o.Y2);
                Assert.True(s.Pixels[p] >= 127, $"scene {i}: mask pixel {p} has ink {s.Pixels[p]}");
            }
        }
        Assert.All(counts[1..], c => Assert.True(c > 30, string.Join(", ", counts)));   // every count from 1 to 5 is common
    }

    [Fact]
    public void TheCocoFilesSayWhatTheGeneratorMade()
    {
        string dir = Directory.CreateTempSubdirectory("trilobite-scenes-").FullName;
        try
        {
            var written = new List<int>();
            CocoScenes.Write(dir, Test, seed: 2, count: 12, written.Add);
            Assert.Equal([12], written);
            var coco = JsonNode.Parse(File.ReadAllText(Path.Combine(dir, CocoScenes.AnnotationFile)))!;
            Assert.Equal(12, coco["images"]!.AsArray().Count);
            Assert.Equal(Enumerable.Range(0, 10).Select(d => d.ToString()), coco["categories"]!.AsArray().Select(c => c!["name"]!.GetValue<string>()));
            var annotations = coco["annotations"]!.AsArray();
            for (int i = 0; i < 12; i++)
            {
                var scene = Test.Scene(2, i);
                var image = coco["images"]![i]!;
                Assert.Equal(scene.Pixels, ImageFile.Load(Path.Combine(dir, image["file_name"]!.GetValue<string>())).ToGray().Pixels);
                Assert.Equal(scene.Mask, ImageFile.Load(Path.Combine(dir, image["mask_file"]!.GetValue<string>())).ToGray().Pixels);
                var mine = annotations.Where(a => a!["image_id"]!.GetValue<int>() == i + 1).ToList();
                Assert.Equal(scene.Objects.Count, mine.Count);
                for (int k = 0; k < mine.Count; k++)
                {
                    var box = mine[k]!["bbox"]!.AsArray().Select(v => v!.GetValue<float>()).ToArray();
                    var o = scene.Objects[k];
                    Assert.Equal(new[] { o.X1, o.Y1, o.Width, o.Height }, box);
                    Assert.Equal(o.Label + 1, mine[k]!["category_id"]!.GetValue<int>());
                }
            }
        }
        finally { Directory.Delete(dir, recursive: true); }
    }

    [Fact]
    public void OnlyTwentyEightPixelGreyDigitsMakeScenes()
    {
        var rgb = new LabeledImages(new float[2 * 28 * 28 * 3], [1, 2], 28, 28, 3, ["a", "b", "c"]);
        Assert.Contains("28×28×1 digits", Assert.Throws<ArgumentException>(() => new DigitSceneGenerator(rgb)).Message);
    }
}

/// <summary>Scene folders read back as segmentation data, and the damaged ones refused naming the file.</summary>
public sealed class SceneMaskTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("trilobite-masks-").FullName;

    public SceneMaskTests() => CocoScenes.Write(_dir, DigitSceneGenerator.FromSample(test: true), seed: 4, count: 6);

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public void AFolderLoadsAsPixelsAndOneClassPerPixel()
    {
        var data = SceneMasks.Load(_dir);
        Assert.Equal([6, 128, 128, 1], data.X.ShapeArray);
        Assert.Equal([6, 128, 128], data.Y.ShapeArray);
        var scene = DigitSceneGenerator.FromSample(test: true).Scene(4, 5);
        Assert.Equal(scene.Mask.Select(b => (float)b), data.Y.Slice(5, 1).ToArray());
        Assert.Equal(scene.Pixels.Select(b => b / 255f), data.X.Slice(5, 1).ToArray());
        Assert.Equal(11, data.ClassNames!.Count);
        Assert.Equal(2, SceneMasks.Load(_dir, limit: 2).Count);
    }

    [Fact]
    public void DamagedFoldersAreRefusedNamingTheFile()
    {
        string mask = Path.Combine(_dir, "masks", "000003.png");
        ImageFile.SavePng(new GrayImage(64, 64), mask);
        Assert.Contains($"{mask}: the mask is 64×64 but its image", Assert.Throws<InvalidDataException>(() => SceneMasks.Load(_dir)).Message);
        var bad = new byte[128 * 128];
        bad[130] = 12;
        ImageFile.SavePng(new GrayImage(128, 128, bad), mask);
        Assert.Contains($"{mask}: pixel (2, 1) is class 12; mask classes are 0 (background) to 10.", Assert.Throws<InvalidDataException>(() => SceneMasks.Load(_dir)).Message);
        File.Delete(mask);
        Assert.Contains("names " + mask + ", which does not exist", Assert.Throws<FileNotFoundException>(() => SceneMasks.Load(_dir)).Message);
        File.WriteAllText(Path.Combine(_dir, CocoScenes.AnnotationFile), "{\"images\": []}");
        Assert.Contains("'images' must be a non-empty list", Assert.Throws<InvalidDataException>(() => SceneMasks.Load(_dir)).Message);
        Assert.Contains("no instances.json", Assert.Throws<FileNotFoundException>(() => SceneMasks.Load(Path.Combine(_dir, "images"))).Message);
    }
}
