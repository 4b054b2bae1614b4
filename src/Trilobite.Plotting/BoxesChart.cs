using System.Globalization;
using ScottPlot;

namespace Trilobite.Plotting;

/// <summary>
/// Detections drawn on their picture: the image in grey, each box as a rectangle in its class's colour (the palette of
/// <see cref="SegmentationChart.ColorOf"/>, class k in colour k + 1) labelled "class score" at its top-left corner.
/// </summary>
public static class BoxesChart
{
    /// <summary>One box to draw: corners in pixels (x right, y down), its class and score.</summary>
    public readonly record struct LabelledBox(float X1, float Y1, float X2, float Y2, int Label, float Score);

    /// <summary>Writes the picture (atomically) of <paramref name="grey"/> (height × width values in [0, 1]) with <paramref name="boxes"/>.</summary>
    public static void Save(float[] grey, int height, int width, IReadOnlyList<LabelledBox> boxes, IReadOnlyList<string> classNames, string path,
        string? title = null, int pictureWidth = 720, int pictureHeight = 720) =>
        ChartFile.Save(path, pictureWidth, pictureHeight, Build(grey, height, width, boxes, classNames, title).GetImage);

    /// <summary>The chart before rendering; pixel (x, y) is drawn centred on (x + 0.5, height − y − 0.5) so box corners land on pixel edges.</summary>
    internal static Plot Build(float[] grey, int height, int width, IReadOnlyList<LabelledBox> boxes, IReadOnlyList<string> classNames, string? title = null)
    {
        ArgumentNullException.ThrowIfNull(grey);
        ArgumentNullException.ThrowIfNull(boxes);
        ArgumentNullException.ThrowIfNull(classNames);
        if (height <= 0 || width <= 0 || grey.Length != height * width)
            throw new ArgumentException($"A {height}×{width} picture needs {height * width} grey values, got {grey.Length}.");
        var picture = new double[height, width];
        for (int y = 0; y < height; y++)
            for (int x = 0; x < width; x++) picture[y, x] = grey[y * width + x];
        var plot = new Plot();
        var image = plot.Add.Heatmap(picture);
        image.Colormap = new ScottPlot.Colormaps.Grayscale();
        image.ManualRange = new ScottPlot.Range(0, 1);
        image.Extent = new CoordinateRect(0, width, 0, height);
        foreach (var b in boxes)
        {
            if (b.Label < 0 || b.Label >= classNames.Count) throw new ArgumentException($"Box class {b.Label} has no name: the detector has {classNames.Count} classes.");
            var (r, g, bl) = SegmentationChart.ColorOf(b.Label + 1);
            var colour = new Color(r, g, bl);
            var rectangle = plot.Add.Rectangle(b.X1, b.X2, height - b.Y2, height - b.Y1);
            rectangle.FillStyle.Color = Colors.Transparent;
            rectangle.LineStyle.Color = colour;
            rectangle.LineStyle.Width = 2;
            var label = plot.Add.Text($"{classNames[b.Label]} {b.Score.ToString("F2", CultureInfo.InvariantCulture)}", b.X1, height - b.Y1);
            label.LabelFontColor = Colors.White;
            label.LabelBackgroundColor = colour;
            label.LabelFontSize = 12;
            label.LabelAlignment = Alignment.LowerLeft;
        }
        plot.Axes.Frameless();                               // hides the title too: set it afterwards
        plot.Title(title ?? $"{boxes.Count} object{(boxes.Count == 1 ? "" : "s")}");
        plot.HideGrid();
        plot.Axes.SetLimits(0, width, 0, height);
        plot.Axes.SquareUnits();
        return plot;
    }
}
