using System.Globalization;
using ScottPlot;

namespace Trilobite.Plotting;

/// <summary>
/// A segmentation as people look at one: the picture in grey, each pixel's predicted class painted over it in the class's
/// colour (background left clear), and a legend naming every class found with its share of the pixels.
/// </summary>
public static class SegmentationChart
{
    // Background black, then matplotlib's "tab10" for the next ten classes (the ten digits of the scenes), then greys.
    private static readonly (byte R, byte G, byte B)[] Palette =
    [
        (0, 0, 0), (31, 119, 180), (255, 127, 14), (44, 160, 44), (214, 39, 40), (148, 103, 189),
        (140, 86, 75), (227, 119, 194), (127, 127, 127), (188, 189, 34), (23, 190, 207),
    ];

    /// <summary>The colour class <paramref name="classIndex"/> is painted in: 0 (background) black, 1–10 matplotlib's tab10, later classes shades of grey.</summary>
    public static (byte R, byte G, byte B) ColorOf(int classIndex)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(classIndex);
        if (classIndex < Palette.Length) return Palette[classIndex];
        byte grey = (byte)(64 + classIndex * 37 % 160);
        return (grey, grey, grey);
    }

    /// <summary>The class map as an RGB picture (row-major, R G B interleaved), each pixel in its class's <see cref="ColorOf"/>.</summary>
    public static byte[] ColoredMask(int[] classes)
    {
        ArgumentNullException.ThrowIfNull(classes);
        var rgb = new byte[classes.Length * 3];
        for (int p = 0; p < classes.Length; p++) (rgb[3 * p], rgb[3 * p + 1], rgb[3 * p + 2]) = ColorOf(classes[p]);
        return rgb;
    }

    /// <summary>
    /// Writes the overlay to a PNG (atomically): <paramref name="grey"/> (<paramref name="height"/> × <paramref name="width"/>
    /// values in [0, 1], row-major) with <paramref name="classes"/> (one class index per pixel, 0 = background) painted over it.
    /// </summary>
    public static void Save(float[] grey, int[] classes, int height, int width, IReadOnlyList<string> classNames, string path, string? title = null,
        int pictureWidth = 820, int pictureHeight = 640) =>
        ChartFile.Save(path, pictureWidth, pictureHeight, Build(grey, classes, height, width, classNames, title).GetImage);

    /// <summary>The chart before rendering; throws <see cref="ArgumentException"/> when the maps do not have height × width values or a class has no name.</summary>
    internal static Plot Build(float[] grey, int[] classes, int height, int width, IReadOnlyList<string> classNames, string? title = null)
    {
        ArgumentNullException.ThrowIfNull(grey);
        ArgumentNullException.ThrowIfNull(classes);
        ArgumentNullException.ThrowIfNull(classNames);
        if (height <= 0 || width <= 0 || grey.Length != height * width || classes.Length != height * width)
            throw new ArgumentException($"A {height}×{width} segmentation needs {height * width} grey values and class indices, got {grey.Length} and {classes.Length}.");
        int k = classNames.Count;
        var counts = new long[k];
        foreach (int c in classes)
        {
            if (c < 0 || c >= k) throw new ArgumentException($"Class index {c} has no name: the model has {k} classes.");
            counts[c]++;
        }
        var picture = new double[height, width];
        var painted = new double[height, width];
        for (int y = 0; y < height; y++)
            for (int x = 0; x < width; x++)
            {
                picture[y, x] = grey[y * width + x];
                int c = classes[y * width + x];
                painted[y, x] = c == 0 ? double.NaN : c;     // NaN cells draw clear: the background shows the picture
            }
        var plot = new Plot();
        var underneath = plot.Add.Heatmap(picture);
        underneath.Colormap = new ScottPlot.Colormaps.Grayscale();
        underneath.ManualRange = new ScottPlot.Range(0, 1);
        var mask = plot.Add.Heatmap(painted);
        mask.Colormap = new ClassColormap(k);
        mask.ManualRange = new ScottPlot.Range(0, k - 1);
        mask.NaNCellColor = Colors.Transparent;
        mask.Opacity = 0.6;
        long total = classes.Length;
        for (int c = 0; c < k; c++)
        {
            if (counts[c] == 0) continue;
            var (r, g, b) = ColorOf(c);
            string share = (100.0 * counts[c] / total).ToString(counts[c] * 1000 < total ? "F2" : "F1", CultureInfo.InvariantCulture);
            plot.Legend.ManualItems.Add(new LegendItem
            {
                LabelText = $"{classNames[c]} ({share} %)",
                FillColor = c == 0 ? Colors.White : new Color(r, g, b),
                OutlineColor = Colors.Black,
                OutlineWidth = 1,
            });
        }
        plot.ShowLegend(Edge.Right);
        int found = counts.Skip(1).Count(n => n > 0);
        plot.Axes.Frameless();                               // hides the title too: set it afterwards
        plot.Title(title ?? $"{found} class{(found == 1 ? "" : "es")} besides {classNames[0]}");
        plot.HideGrid();
        plot.Axes.SquareUnits();
        return plot;
    }

    /// <summary>Whole class indices 0 … k − 1 (scaled to [0, 1] by the heatmap) to their palette colours.</summary>
    private sealed class ClassColormap(int classes) : IColormap
    {
        public string Name => "classes";

        public Color GetColor(double position)
        {
            int c = Math.Clamp((int)Math.Round(position * (classes - 1)), 0, classes - 1);
            var (r, g, b) = ColorOf(c);
            return new Color(r, g, b);
        }
    }
}
