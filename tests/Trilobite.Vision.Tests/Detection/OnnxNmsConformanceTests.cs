using System.Text.Json.Nodes;
using Trilobite.Vision.Detection;

namespace Trilobite.Vision.Tests.Detection;

/// <summary>
/// ONNX's NonMaxSuppression node tests (Debian libonnx-testdata, converted by Golden/onnx_nms.py) through our NMS, per
/// batch and class. Where ONNX differs it is adapted here, as an ONNX importer would: its boxes are [y1, x1, y2, x2] (or
/// centre-size with center_point_box = 1) and may name either diagonal, ours are [x1, y1, x2, y2] with x1 ≤ x2; its
/// score threshold and per-class cap are applied around the greedy pass. Suppression itself (IoU strictly above the
/// threshold, by decreasing score) is the same.
/// </summary>
public class OnnxNmsConformanceTests
{
    private static readonly JsonArray Cases = (JsonArray)JsonNode.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Detection", "Golden", "onnx_nms.json")))!["cases"]!;

    public static TheoryData<string> Names() => [.. Cases.Select(c => c!["name"]!.GetValue<string>())];

    [Theory]
    [MemberData(nameof(Names))]
    public void SelectsWhatOnnxSelects(string name)
    {
        var c = Cases.Single(x => x!["name"]!.GetValue<string>() == name)!;
        bool centre = c["center_point_box"]!.GetValue<int>() == 1;
        var boxes = c["boxes"]!.AsArray();
        var scores = c["scores"]!.AsArray();
        int cap = c["max_output_boxes_per_class"]?.GetValue<int>() ?? 0;
        double iouThreshold = c["iou_threshold"]?.GetValue<double>() ?? 0;
        float scoreThreshold = (float)(c["score_threshold"]?.GetValue<double>() ?? double.NegativeInfinity);
        var selected = new List<int[]>();
        for (int b = 0; b < boxes.Count; b++)
        {
            Box[] ours = [.. boxes[b]!.AsArray().Select(r => Convert(r!.AsArray().Select(v => (float)v!.GetValue<double>()).ToArray(), centre))];
            for (int k = 0; k < scores[b]!.AsArray().Count; k++)
            {
                float[] s = [.. scores[b]![k]!.AsArray().Select(v => (float)v!.GetValue<double>())];
                int[] passing = [.. Enumerable.Range(0, s.Length).Where(i => s[i] > scoreThreshold)];
                var kept = NonMaxSuppression.Apply([.. passing.Select(i => ours[i])], [.. passing.Select(i => s[i])], iouThreshold);
                selected.AddRange(kept.Take(cap).Select(i => new[] { b, k, passing[i] }));
            }
        }
        int[][] expected = [.. c["selected_indices"]!.AsArray().Select(r => r!.AsArray().Select(v => v!.GetValue<int>()).ToArray())];
        Assert.Equal(expected, selected);
    }

    /// <summary>ONNX's [y1, x1, y2, x2] (either diagonal) or [x_centre, y_centre, w, h] as our [x1, y1, x2, y2].</summary>
    private static Box Convert(float[] v, bool centre) => centre
        ? Box.FromCentre(v[0], v[1], v[2], v[3])
        : new Box(Math.Min(v[1], v[3]), Math.Min(v[0], v[2]), Math.Max(v[1], v[3]), Math.Max(v[0], v[2]));
}
