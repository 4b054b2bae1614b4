using ScottPlot;

namespace Trilobite.Plotting.Tests;

public sealed class SegmentationChartTests
{
    [Fact]
    public void Classes_are_painted_over_the_picture_and_the_background_shows_it_through()
    {
        // 16×16: the left half white, the right half black; class 3 on a 4×4 square in the black half, class 1 on one in the white.
        const int n = 16;
        var grey = new float[n * n];
        var classes = new int[n * n];
        for (int y = 0; y < n; y++)
            for (int x = 0; x < n; x++)
            {
                grey[y * n + x] = x < n / 2 ? 1 : 0;
                if (y is >= 2 and < 6 && x is >= 10 and < 14) classes[y * n + x] = 3;
                if (y is >= 10 and < 14 && x is >= 2 and < 6) classes[y * n + x] = 1;
            }
        string[] names = ["background", "a", "b", "c"];
        var plot = SegmentationChart.Build(grey, classes, n, n, names);
        using var rendered = plot.GetImage(820, 640);
        var image = Png.Decode(rendered);
        Pixel Cell(int row, int col) => plot.GetPixel(new Coordinates(col, n - 1 - row));   // row 0 is drawn at the top

        var (r3, g3, b3) = SegmentationChart.ColorOf(3);
        var (r1, g1, b1) = SegmentationChart.ColorOf(1);
        Assert.True(Png.Near(image, Cell(3, 11), new Color((byte)(0.6 * r3), (byte)(0.6 * g3), (byte)(0.6 * b3)), tolerance: 20), "class 3 over black");
        Assert.True(Png.Near(image, Cell(11, 3), new Color((byte)(0.6 * r1 + 102), (byte)(0.6 * g1 + 102), (byte)(0.6 * b1 + 102)), tolerance: 20), "class 1 over white");
        Assert.True(Png.Near(image, Cell(8, 1), Colors.White, radius: 0, tolerance: 10), "background over white stays white");
        Assert.True(Png.Near(image, Cell(8, 14), Colors.Black, radius: 0, tolerance: 10), "background over black stays black");
        // The legend lists the classes found (class b is absent), with their share of the pixels.
        Assert.Equal(["background (87.5 %)", "a (6.2 %)", "c (6.2 %)"], plot.Legend.ManualItems.Select(i => i.LabelText));
    }

    [Fact]
    public void The_coloured_mask_uses_one_colour_per_class_and_bad_maps_are_refused()
    {
        Assert.Equal([0, 0, 0, 31, 119, 180], SegmentationChart.ColoredMask([0, 1]));
        Assert.Equal(11, Enumerable.Range(0, 11).Select(SegmentationChart.ColorOf).Distinct().Count());
        Assert.Contains("needs 4 grey values", Assert.Throws<ArgumentException>(() => SegmentationChart.Build(new float[3], new int[4], 2, 2, ["bg", "x"])).Message);
        Assert.Contains("Class index 2 has no name", Assert.Throws<ArgumentException>(() => SegmentationChart.Build(new float[4], [0, 1, 2, 0], 2, 2, ["bg", "x"])).Message);
    }
}
