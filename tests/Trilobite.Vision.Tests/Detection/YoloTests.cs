using Trilobite.Tests;
using Trilobite.Vision.Detection;

namespace Trilobite.Vision.Tests.Detection;

/// <summary>The YOLO v1-style detector: grid targets, the paper's loss against a direct computation (and its gradient), decoding.</summary>
public class YoloTests
{
    private static readonly string[] Digits = [.. Enumerable.Range(0, 10).Select(d => d.ToString(System.Globalization.CultureInfo.InvariantCulture))];

    [Fact]
    public void PredictsAnEightByEightGridOfTwoBoxesAndTenClasses()
    {
        var net = YoloV1.Build([128, 128, 1], Digits);
        Assert.Equal([8, 8, 2 * 5 + 10], net.OutputShape);
        var spec = DetectorSpec.Of(net);
        Assert.Equal(("yolo", 8, 2), (spec.Kind, spec.Grid, spec.BoxesPerCell));
        Assert.Contains("square", Assert.Throws<ArgumentException>(() => YoloV1.Build([128, 96, 1], Digits)).Message);
    }

    [Fact]
    public void TargetsPutEachObjectInTheCellOfItsCentre()
    {
        var head = new YoloHead(DetectorSpec.Of(YoloV1.Build([128, 128, 1], Digits)));
        var target = new float[8 * 8 * 15];
        // Centre (40, 72): cell column 2 (32–48), row 4 (64–80); 16×32 box.
        head.EncodeTargets([new GroundTruth(new Box(32, 56, 48, 88), 7), new GroundTruth(new Box(34, 60, 42, 84), 3)], target);
        var cell = target.AsSpan((4 * 8 + 2) * 15, 15).ToArray();
        Assert.Equal(1, cell[0]);
        Assert.Equal(0.5f, cell[1], 5);                       // 40 / 16 − 2
        Assert.Equal(0.5f, cell[2], 5);                       // 72 / 16 − 4
        Assert.Equal(MathF.Sqrt(16f / 128), cell[3], 5);
        Assert.Equal(MathF.Sqrt(32f / 128), cell[4], 5);
        Assert.Equal(1, cell[5 + 7]);                         // the larger object keeps the cell
        Assert.Equal(1, target.Where((_, i) => i % 15 == 0).Sum());
    }

    /// <summary>One image, a 2×2 grid, 2 boxes per cell, 2 classes: an object in cell (0, 1).</summary>
    private static (Tensor Prediction, Tensor Target) Case(Device device, int seed)
    {
        var p = Tensor.Uniform([1, 2, 2, 12], 0.1f, 0.9f, seed, device);
        var t = new float[2 * 2 * 7];
        // Cell (row 0, column 1): centre at x = (1 + 0.4) / 2, y = 0.3 / 2 of the image, √w = 0.5, √h = 0.6, class 1.
        (t[7], t[8], t[9], t[10], t[11], t[13]) = (1, 0.4f, 0.3f, 0.5f, 0.6f, 1);
        return (p, Tensor.FromArray(t, [1, 2, 2, 7], device));
    }

    [Fact]
    public void LossIsThePapersSumOfSquares()
    {
        var (prediction, target) = Case(Device.Reference, 3);
        float[] p = prediction.ToArray(), t = target.ToArray();
        double expected = 0;
        for (int cell = 0; cell < 4; cell++)
        {
            int i = cell / 2, j = cell % 2;
            var v = p.AsSpan(cell * 12, 12).ToArray();
            bool obj = t[cell * 7] == 1;
            int responsible = -1;
            double iou = 0;
            if (obj)
            {
                var truth = Box.FromCentre((j + t[cell * 7 + 1]) / 2, (i + t[cell * 7 + 2]) / 2, t[cell * 7 + 3] * t[cell * 7 + 3], t[cell * 7 + 4] * t[cell * 7 + 4]);
                double[] ious = [.. Enumerable.Range(0, 2).Select(k => BoxOverlap.Iou(Box.FromCentre((j + v[k * 5]) / 2, (i + v[k * 5 + 1]) / 2, v[k * 5 + 2] * v[k * 5 + 2], v[k * 5 + 3] * v[k * 5 + 3]), truth))];
                responsible = ious[1] > ious[0] ? 1 : 0;
                iou = ious[responsible];
                for (int c = 0; c < 2; c++) expected += Math.Pow(v[10 + c] - t[cell * 7 + 5 + c], 2);
            }
            for (int k = 0; k < 2; k++)
            {
                if (k == responsible)
                {
                    for (int q = 0; q < 4; q++) expected += 5 * Math.Pow(v[k * 5 + q] - t[cell * 7 + 1 + q], 2);
                    expected += Math.Pow(v[k * 5 + 4] - iou, 2);
                }
                else expected += 0.5 * v[k * 5 + 4] * v[k * 5 + 4];
            }
        }
        Assert.Equal(expected, new YoloV1Loss().Compute(prediction, target).ToArray()[0], 1e-5);
        // The responsible predictor and its IoU target pass no gradient: the check holds them at the unperturbed values.
        var (start, fixedTarget) = Case(Device.Reference, 4);
        float[] assignment = start.ToArray();
        GradCheck.CheckInDouble(x =>
        {
            var (box, confidence, classes) = YoloV1Loss.Parts(x[0], fixedTarget, assignment);
            return box + confidence + classes;
        }, [start]);
    }

    [Fact]
    public void DecodesScoreAsClassProbabilityTimesConfidence()
    {
        var head = new YoloHead(DetectorSpec.Of(YoloV1.Build([128, 128, 1], Digits)));
        var output = new float[8 * 8 * 20];
        var cell = output.AsSpan((3 * 8 + 5) * 20, 20);
        (cell[5], cell[6], cell[7], cell[8], cell[9]) = (0.5f, 0.25f, 0.5f, 0.25f, 0.9f);    // box 1: centre in the cell, 64 × 8 px
        cell[10 + 4] = 0.8f;
        var d = Assert.Single(head.Decode(output));
        Assert.Equal(4, d.Label);
        Assert.Equal(0.72f, d.Score, 5);
        Assert.Equal(Box.FromCentre((5 + 0.5f) * 16, (3 + 0.25f) * 16, 0.25f * 128, 0.0625f * 128), d.Box);
    }
}
