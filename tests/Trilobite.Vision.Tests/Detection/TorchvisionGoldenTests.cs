using System.Text.Json.Nodes;
using Trilobite.Vision.Detection;

namespace Trilobite.Vision.Tests.Detection;

/// <summary>Boxes, anchors, matcher, box coder, NMS and focal loss against torchvision 0.14 (Golden/torchvision_detection.py).</summary>
public class TorchvisionGoldenTests
{
    private static readonly JsonNode Golden = JsonNode.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Detection", "Golden", "torchvision_detection.json")))!;

    private static double[][] Matrix(JsonNode? n) => [.. n!.AsArray().Select(r => r!.AsArray().Select(v => v is null ? double.NaN : v.GetValue<double>()).ToArray())];
    private static Box[] Boxes(JsonNode? n) => [.. Matrix(n).Select(r => new Box((float)r[0], (float)r[1], (float)r[2], (float)r[3]))];
    private static int[] Ints(JsonNode? n) => [.. n!.AsArray().Select(v => v!.GetValue<int>())];

    private static void Close(double expected, double actual, double tolerance, string what) =>
        Assert.True(Math.Abs(expected - actual) <= tolerance * (1 + Math.Abs(expected)), $"{what}: {actual} vs torchvision {expected}");

    [Fact]
    public void IouAndGiouMatchTorchvisionAndAreDefinedWhereItGivesNaN()
    {
        var g = Golden["iou"]!;
        Box[] a = Boxes(g["a"]), b = Boxes(g["b"]);
        var iou = BoxOverlap.IouMatrix(a, b);
        var giou = BoxOverlap.GeneralizedIouMatrix(a, b);
        double[][] expectedIou = Matrix(g["iou"]), expectedGiou = Matrix(g["giou"]);
        int undefined = 0;
        for (int i = 0; i < a.Length; i++)
            for (int j = 0; j < b.Length; j++)
            {
                if (double.IsNaN(expectedIou[i][j]))
                {
                    // A zero-area box against a point: torchvision's 0/0; ours overlaps nothing, and is as far as it gets.
                    Assert.Equal(0, iou[i, j]);
                    Assert.Equal(-1, giou[i, j]);
                    undefined++;
                    continue;
                }
                Close(expectedIou[i][j], iou[i, j], 1e-6, $"IoU({i}, {j})");
                Close(expectedGiou[i][j], giou[i, j], 1e-6, $"GIoU({i}, {j})");
            }
        Assert.Equal(1, undefined);
        Assert.Equal(1.0, BoxOverlap.Iou(new Box(0, 0, 20, 20), new Box(0, 0, 20, 20)));
        Assert.Equal(0.25, BoxOverlap.Iou(new Box(0, 0, 20, 20), new Box(5, 5, 15, 15)));
    }

    [Fact]
    public void NmsAndBatchedNmsKeepWhatTorchvisionKeeps()
    {
        var g = Golden["nms"]!;
        Box[] boxes = Boxes(g["boxes"]);
        float[] scores = [.. g["scores"]!.AsArray().Select(v => (float)v!.GetValue<double>())];
        foreach (var (threshold, keep) in g["keep"]!.AsObject())
            Assert.Equal(Ints(keep), NonMaxSuppression.Apply(boxes, scores, double.Parse(threshold, System.Globalization.CultureInfo.InvariantCulture)));
        Assert.Equal(Ints(g["batched_keep_0.5"]), NonMaxSuppression.Batched(boxes, scores, Ints(g["classes"]), 0.5));
    }

    [Fact]
    public void AnchorsOfAThreeLevelPyramidAreTorchvisionsInItsOrder()
    {
        var g = Golden["anchors"]!;
        var sizes = Matrix(g["sizes"]);
        var generator = new AnchorGenerator([.. sizes.Select(s => (IReadOnlyList<double>)s)], [0.5, 1.0, 2.0]);
        Assert.Equal(9, generator.AnchorsPerLocation);
        var anchors = generator.Generate(128, 128, [(16, 16), (8, 8), (4, 4)]);
        var expected = Boxes(g["anchors"]);
        Assert.Equal((16 * 16 + 8 * 8 + 4 * 4) * 9, expected.Length);
        Assert.Equal(expected, anchors);
        Assert.Equal(expected, AnchorGenerator.RetinaNet([32, 64, 128]).Generate(128, 128, [(16, 16), (8, 8), (4, 4)]));
    }

    [Theory]
    [InlineData("coder_retinanet")]
    [InlineData("coder_rcnn")]
    public void BoxCoderEncodesAndDecodesAsTorchvisionWithTheSizeClamp(string name)
    {
        var g = Golden[name]!;
        double[] w = [.. g["weights"]!.AsArray().Select(v => v!.GetValue<double>())];
        var coder = new BoxCoder((w[0], w[1], w[2], w[3]));
        Box[] anchors = Boxes(g["anchors"]), boxes = Boxes(g["boxes"]);
        double[][] encoded = Matrix(g["encoded"]), deltas = Matrix(g["deltas"]);
        Box[] decoded = Boxes(g["decoded"]);
        for (int i = 0; i < anchors.Length; i++)
        {
            var (dx, dy, dw, dh) = coder.Encode(boxes[i], anchors[i]);
            float[] mine = [dx, dy, dw, dh];
            for (int k = 0; k < 4; k++) Close(encoded[i][k], mine[k], 1e-5, $"encode {i}[{k}]");
            var box = coder.Decode([.. deltas[i].Select(v => (float)v)], anchors[i]);
            Close(decoded[i].X1, box.X1, 1e-5, $"decode {i} x1");
            Close(decoded[i].Y1, box.Y1, 1e-5, $"decode {i} y1");
            Close(decoded[i].X2, box.X2, 1e-5, $"decode {i} x2");
            Close(decoded[i].Y2, box.Y2, 1e-5, $"decode {i} y2");
        }
        // Delta 0 has dw = dh = 9, past log(1000/16): the decoded box is 1000/16 times its anchor, not e^9 times.
        float expectedWidth = anchors[0].Width * 1000f / 16 * (name == "coder_rcnn" ? MathF.Exp(9f / 5 - MathF.Log(1000f / 16)) : 1f);
        Close(expectedWidth, coder.Decode([.. deltas[0].Select(v => (float)v)], anchors[0]).Width, 1e-4, "clamped width");
    }

    [Theory]
    [InlineData("matcher", false)]
    [InlineData("matcher_low_quality", true)]
    public void MatcherAssignsAnchorsAsTorchvision(string name, bool lowQuality)
    {
        var g = Golden[name]!;
        var quality = BoxOverlap.IouMatrix(Boxes(g["gts"]), Boxes(g["anchors"]));
        var matches = new Matcher(0.5, 0.4, lowQuality).Match(quality);
        Assert.Equal(Ints(g["matches"]), matches);
        Assert.Contains(matches, m => m >= 0);
        Assert.Contains(Matcher.Ignored, matches);
    }

    [Theory]
    [InlineData("reference")]
    [InlineData("cpu")]
    public void FocalLossAndItsGradientMatchTorchvision(string deviceName)
    {
        var device = deviceName == "cpu" ? Device.Cpu : Device.Reference;
        var g = Golden["focal"]!;
        double[][] logits = Matrix(g["logits"]), targets = Matrix(g["targets"]), loss = Matrix(g["loss"]), grad = Matrix(g["grad"]);
        int rows = logits.Length, cols = logits[0].Length;
        var z = Tensor.FromArray([.. logits.SelectMany(r => r).Select(v => (float)v)], [rows, cols], device);
        var t = Tensor.FromArray([.. targets.SelectMany(r => r).Select(v => (float)v)], [rows, cols], device);
        z.RequiresGrad = true;
        var values = DetectionLosses.SigmoidFocal(z, t);
        values.Sum().Backward();
        float[] mine = values.ToArray(), mineGrad = z.Grad!.ToArray();
        for (int i = 0; i < rows * cols; i++)
        {
            Close(loss[i / cols][i % cols], mine[i], 1e-5, $"focal loss {i}");
            Close(grad[i / cols][i % cols], mineGrad[i], 1e-5, $"focal gradient {i}");
        }
    }
}
