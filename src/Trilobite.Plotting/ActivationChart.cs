using ScottPlot;
using Trilobite.Layers;

namespace Trilobite.Plotting;

/// <summary>
/// What one layer makes of one picture: each channel of its output as a grey tile (bright = strongly active), each
/// stretched on its own. The lecture's "hierarchical representation": early layers keep the strokes, later ones
/// respond to parts.
/// </summary>
public static class ActivationChart
{
    /// <summary>
    /// Runs <paramref name="input"/> (one sample, (1, H, W, C)) through <paramref name="model"/> up to <paramref name="layer"/>
    /// (default: the first Conv2D) and writes that layer's channels to a PNG, atomically.
    /// </summary>
    public static void Save(Model model, Tensor input, string path, string? layer = null, int width = 800, int height = 800) =>
        ChartFile.Save(path, width, height, Build(model, input, layer).GetImage);

    /// <summary>The chart before rendering; the layer's output must be (1, H, W, C) feature maps.</summary>
    internal static Plot Build(Model model, Tensor input, string? layer = null)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(input);
        if (input.Rank != 4 || input.Dim(0) != 1)
            throw new ArgumentException($"One sample is shown at a time: the input must be (1, height, width, channels), got {ShapeText.Of(input.ShapeArray)}.");
        string name = layer ?? FilterChart.FindConvolution(model, null).Name;
        var output = model.UpTo(name).Predict(input, 1);
        if (output.Rank != 4)
            throw new ArgumentException($"Layer '{name}' gives {ShapeText.WithBatch(output.ShapeArray[1..])}, not feature maps (height, width, channels); name a convolution or pooling layer.");
        int h = output.Dim(1), w = output.Dim(2), c = output.Dim(3);
        float[] values = output.ToArray();
        var maps = new float[c][];
        for (int ch = 0; ch < c; ch++)
        {
            maps[ch] = new float[h * w];
            for (int p = 0; p < h * w; p++) maps[ch][p] = values[p * c + ch];
        }
        var plot = new Plot();
        var heatmap = plot.Add.Heatmap(Mosaic.Arrange(maps, h, w, Mosaic.Columns(c), symmetric: false));
        heatmap.Colormap = new ScottPlot.Colormaps.Grayscale();
        heatmap.ManualRange = new ScottPlot.Range(0, 1);
        heatmap.NaNCellColor = Colors.White;
        plot.Title($"{name}: {c} activation maps of {h}×{w}");
        plot.Axes.Frameless();
        plot.HideGrid();
        plot.Axes.SquareUnits();
        return plot;
    }
}
