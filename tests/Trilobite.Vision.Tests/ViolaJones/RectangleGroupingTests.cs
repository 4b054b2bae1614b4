using Trilobite.Vision.ViolaJones;

namespace Trilobite.Vision.Tests.ViolaJones;

public sealed class RectangleGroupingTests
{
    [Fact]
    public void SimilarityUsesTwentyPercentOfTheSmallerSide()
    {
        var a = new PixelRect(100, 100, 50, 50);
        Assert.True(RectangleGrouping.Similar(a, new PixelRect(110, 90, 50, 50), 0.2));    // δ = 10
        Assert.False(RectangleGrouping.Similar(a, new PixelRect(111, 100, 50, 50), 0.2));
        Assert.True(RectangleGrouping.Similar(a, new PixelRect(100, 100, 60, 60), 0.2));   // edges move 10
    }

    [Fact]
    public void ClustersAreAveragedAndSmallClustersDropped()
    {
        var rects = new List<PixelRect>
        {
            new(10, 10, 20, 20), new(11, 10, 20, 20), new(12, 11, 20, 20), new(10, 12, 21, 21),   // 4 members
            new(200, 200, 30, 30), new(201, 201, 30, 30),                                          // 2 members
        };
        var grouped = RectangleGrouping.Group(rects, groupThreshold: 3);
        // (10+11+12+10)/4 = 10.75 → 11, (10+10+11+12)/4 = 10.75 → 11, (20+20+20+21)/4 = 20.25 → 20
        Assert.Equal([new PixelRect(11, 11, 20, 20)], grouped);
        Assert.Equal(2, RectangleGrouping.Group(rects, groupThreshold: 1).Count);
        Assert.Equal(rects, RectangleGrouping.Group(rects, groupThreshold: 0));
    }

    [Fact]
    public void AverageRoundsHalfToEvenAsOpenCv()
    {
        var rects = new List<PixelRect> { new(10, 10, 20, 20), new(11, 11, 21, 21) };   // means 10.5, 20.5
        Assert.Equal([new PixelRect(10, 10, 20, 20)], RectangleGrouping.Group(rects, groupThreshold: 1));
    }

    [Fact]
    public void ABoxInsideAStrongerOneIsDropped()
    {
        var big = Enumerable.Repeat(new PixelRect(0, 0, 100, 100), 6);
        var small = Enumerable.Repeat(new PixelRect(30, 30, 40, 40), 2);
        var grouped = RectangleGrouping.Group(big.Concat(small).ToList(), groupThreshold: 1);
        Assert.Equal([new PixelRect(0, 0, 100, 100)], grouped);
    }

    [Fact]
    public void SimilarityIsTransitiveThroughAChain()
    {
        // a~b and b~c but not a~c: one class of three (partition takes the transitive closure).
        var rects = new List<PixelRect> { new(0, 0, 50, 50), new(9, 0, 50, 50), new(18, 0, 50, 50) };
        Assert.False(RectangleGrouping.Similar(rects[0], rects[2], 0.2));
        Assert.Equal([new PixelRect(9, 0, 50, 50)], RectangleGrouping.Group(rects, groupThreshold: 2));
    }
}
