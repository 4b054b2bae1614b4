using System.Text.Json.Nodes;
using Trilobite.Vision.Detection;

namespace Trilobite.Vision.Tests.Detection;

/// <summary>VOC and COCO mAP against a second, independent implementation (Golden/map_reference.py) and by hand.</summary>
public class MeanAveragePrecisionTests
{
    private static readonly JsonArray Cases = (JsonArray)JsonNode.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Detection", "Golden", "map_cases.json")))!["cases"]!;

    public static TheoryData<int> Indices() => [.. Enumerable.Range(0, Cases.Count)];

    private static Box BoxOf(JsonNode? n)
    {
        var v = n!.AsArray().Select(x => (float)x!.GetValue<double>()).ToArray();
        return new Box(v[0], v[1], v[2], v[3]);
    }

    private static ImageResult[] Images(JsonNode c) => [.. c["images"]!.AsArray().Select(im => new ImageResult(
        [.. im!["truth"]!.AsArray().Select(g => new GroundTruth(BoxOf(g!["box"]), g["label"]!.GetValue<int>(), g["difficult"]!.GetValue<bool>()))],
        [.. im["detections"]!.AsArray().Select(d => new DetectedObject(BoxOf(d!["box"]), d["label"]!.GetValue<int>(), (float)d["score"]!.GetValue<double>()))]))];

    private static double Value(JsonNode? n) => n is null ? double.NaN : n.GetValue<double>();

    [Theory]
    [MemberData(nameof(Indices))]
    public void AgreesWithTheIndependentImplementation(int index)
    {
        var c = Cases[index]!;
        var images = Images(c);
        int classes = c["classes"]!.GetValue<int>();
        var expected = c["expected"]!;
        var (map, perClass) = VocMeanAveragePrecision.Evaluate(images, classes);
        Assert.Equal(Value(expected["voc"]), map, 9);
        Assert.Equal([.. expected["voc_per_class"]!.AsArray().Select(Value)], perClass, new NaNAware());
        Assert.Equal(Value(expected["voc11"]), VocMeanAveragePrecision.Evaluate(images, classes, elevenPoint: true).MeanAP, 9);
        var coco = CocoMeanAveragePrecision.Evaluate(images, classes);
        var e = expected["coco"]!;
        Assert.Equal(Value(e["AP"]), coco.AP, 9);
        Assert.Equal(Value(e["AP50"]), coco.AP50, 9);
        Assert.Equal(Value(e["AP75"]), coco.AP75, 9);
        Assert.Equal(Value(e["AR1"]), coco.AR1, 9);
        Assert.Equal(Value(e["AR10"]), coco.AR10, 9);
        Assert.Equal(Value(e["AR100"]), coco.AR100, 9);
        Assert.Equal([.. e["per_class"]!.AsArray().Select(Value)], coco.PerClassAP, new NaNAware());
    }

    [Fact]
    public void ADetectionWhoseBestGroundTruthIsTakenIsAFalsePositiveForVocButNotForCoco()
    {
        // Ground truths A [0, 10] and B [4, 14]; the second detection [1, 11] overlaps A most (0.82, taken) and B by 0.54.
        GroundTruth[] truth = [new(new Box(0, 0, 10, 10), 0), new(new Box(4, 0, 14, 10), 0)];
        DetectedObject[] found = [new(new Box(0, 0, 10, 10), 0, 0.9f), new(new Box(1, 0, 11, 10), 0, 0.8f)];
        ImageResult[] images = [new(truth, found)];
        // VOC: TP then FP, recall 0.5 at precision 1: AP 0.5.
        Assert.Equal(0.5, VocMeanAveragePrecision.Evaluate(images, 1).MeanAP, 12);
        // COCO at IoU 0.5: both true positives, AP 1 (the precision envelope is 1 at every recall point).
        Assert.Equal(1.0, CocoMeanAveragePrecision.Evaluate(images, 1).AP50, 12);
    }

    [Fact]
    public void ClassesWithoutGroundTruthAreLeftOutAndBadEntriesAreNamed()
    {
        ImageResult[] images = [new([new(new Box(0, 0, 10, 10), 1)], [new(new Box(0, 0, 10, 10), 1, 0.5f), new(new Box(50, 50, 60, 60), 0, 0.9f)])];
        var (map, perClass) = VocMeanAveragePrecision.Evaluate(images, 3);
        Assert.Equal(1.0, map);
        Assert.True(double.IsNaN(perClass[0]) && double.IsNaN(perClass[2]));
        Assert.Equal(1.0, CocoMeanAveragePrecision.Evaluate(images, 3).AP, 12);
        Assert.Contains("Image 0, ground truth 0: class 5 is outside 0 to 2", Assert.Throws<ArgumentException>(() =>
            VocMeanAveragePrecision.Evaluate([new([new(new Box(0, 0, 1, 1), 5)], [])], 3)).Message);
        Assert.Contains("Image 0, ground truth 0: box", Assert.Throws<ArgumentException>(() =>
            CocoMeanAveragePrecision.Evaluate([new([new(new Box(5, 0, 1, 1), 0)], [])], 3)).Message);
    }

    private sealed class NaNAware : IEqualityComparer<double>
    {
        public bool Equals(double x, double y) => double.IsNaN(x) ? double.IsNaN(y) : Math.Abs(x - y) < 1e-9;
        public int GetHashCode(double obj) => 0;
    }
}
