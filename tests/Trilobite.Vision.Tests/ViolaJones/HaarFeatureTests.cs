using Trilobite.Vision.Imaging;
using Trilobite.Vision.ViolaJones;
using Trilobite.Vision.ViolaJones.Training;

namespace Trilobite.Vision.Tests.ViolaJones;

/// <summary>Each feature shape against a hand computation on a small image with known pixel values.</summary>
public sealed class HaarFeatureTests
{
    // 6 x 4 image, pixel (x, y) = 10 * y + x * x (not linear, so that no shape cancels by accident).
    private static int P(int x, int y) => 10 * y + x * x;

    private static readonly IntegralImage Ramp = IntegralImage.Compute(
        new GrayImage(6, 4, Enumerable.Range(0, 24).Select(i => (byte)P(i % 6, i / 6)).ToArray()));

    private static int Block(int x, int y, int w, int h)
    {
        int s = 0;
        for (int r = y; r < y + h; r++)
            for (int c = x; c < x + w; c++) s += P(c, r);
        return s;
    }

    [Fact]
    public void TwoRectangleEdgeIsRightMinusLeft()
    {
        var f = HaarFeatureGenerator.Create(HaarShape.EdgeX2, 1, 1, 2, 2);   // cells [1..2] and [3..4] x rows 1..2
        Assert.Equal(Block(3, 1, 2, 2) - Block(1, 1, 2, 2), f.Evaluate(Ramp, 0, 0));
        var g = HaarFeatureGenerator.Create(HaarShape.EdgeY2, 0, 0, 3, 2);   // rows 0..1 above rows 2..3
        Assert.Equal(Block(0, 2, 3, 2) - Block(0, 0, 3, 2), g.Evaluate(Ramp, 0, 0));
        // By hand: rows 2-3 of columns 0-2 are 20,21,24 and 30,31,34 (160); rows 0-1 are 0,1,4 and 10,11,14 (40).
        Assert.Equal(120f, g.Evaluate(Ramp, 0, 0));
    }

    [Fact]
    public void ThreeRectangleLineIsTwiceMiddleMinusSides()
    {
        // −1·whole + 3·middle = 2·middle − left − right (zero on a flat or linear patch).
        var f = HaarFeatureGenerator.Create(HaarShape.LineX3, 0, 0, 2, 4);   // columns 0-1 | 2-3 | 4-5
        float expected = 2 * Block(2, 0, 2, 4) - Block(0, 0, 2, 4) - Block(4, 0, 2, 4);
        Assert.Equal(expected, f.Evaluate(Ramp, 0, 0));
        Assert.Equal(-64f, expected);   // columns: 4·(0+1) + 4·(16+25) vs 2·4·(4+9), rows cancel
        var g = HaarFeatureGenerator.Create(HaarShape.LineY3, 1, 0, 1, 1);   // rows 0 | 1 | 2 of column 1
        Assert.Equal(2 * 11f - 1f - 21f, g.Evaluate(Ramp, 0, 0));
    }

    [Fact]
    public void FourRectangleDiagonalIsDiagonalMinusAntiDiagonal()
    {
        var f = HaarFeatureGenerator.Create(HaarShape.DiagonalX2Y2, 0, 0, 3, 2);
        float expected = Block(0, 0, 3, 2) + Block(3, 2, 3, 2) - Block(3, 0, 3, 2) - Block(0, 2, 3, 2);
        Assert.Equal(expected, f.Evaluate(Ramp, 0, 0));
        Assert.Equal(Block(0, 0, 3, 2) + Block(3, 2, 3, 2) - Block(3, 0, 3, 2) - Block(0, 2, 3, 2), f.Evaluate(Ramp, 0, 0));
    }

    [Fact]
    public void EvaluationAtAnOffsetShiftsTheWindow()
    {
        var f = HaarFeatureGenerator.Create(HaarShape.EdgeX2, 0, 0, 1, 1);
        Assert.Equal(7f, f.Evaluate(Ramp, 3, 2));   // pixel (4,2) − pixel (3,2) = 36 − 29
    }

    [Fact]
    public void GeneratorCountsMatchTheClosedForm()
    {
        // EdgeX2 in a W x H window: Σ_{dx: 2dx ≤ W} Σ_{dy ≤ H} (W − 2dx + 1)(H − dy + 1).
        int count = HaarFeatureGenerator.All(8, 6).Count(f => f.Rects.Count == 2 && f.Rects[0].Width == 2 * f.Rects[1].Width && f.Rects[0].Height == f.Rects[1].Height);
        int expected = 0;
        for (int dx = 1; 2 * dx <= 8; dx++)
            for (int dy = 1; dy <= 6; dy++) expected += (8 - 2 * dx + 1) * (6 - dy + 1);
        Assert.Equal(expected, count);
        Assert.All(HaarFeatureGenerator.All(8, 6), f => Assert.True(f.FitsIn(8, 6)));
    }
}
