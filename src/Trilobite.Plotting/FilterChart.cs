using ScottPlot;
using Trilobite.Layers;

namespace Trilobite.Plotting;

/// <summary>
/// The first convolution's kernels, one tile per filter, averaged over the input channels, red for positive weights and
/// blue for negative (zero is white): after training they look like the lecture's edge and blob detectors, before it
/// like noise.
/// </summary>
public static class FilterChart
{
    /// <summary>Writes the filters of <paramref name="layer"/> (default: the model's first Conv2D) to a PNG, atomically.</summary>
    public static void Save(Model model, string path, string? layer = null, int width = 800, int height = 800) =>
        ChartFile.Save(path, width, height, Build(model, layer).GetImage);

    /// <summary>The chart before rendering.</summary>
    internal static Plot Build(Model model, string? layer = null)
    {
        var conv = FindConvolution(model, layer);
        var k = conv.Kernel.Value;                      // (kh, kw, in, out), as Keras stores it
        int kh = k.Dim(0), kw = k.Dim(1), cin = k.Dim(2), cout = k.Dim(3);
        float[] w = k.ToArray();
        var filters = new float[cout][];
        for (int o = 0; o < cout; o++)
        {
            filters[o] = new float[kh * kw];
            for (int p = 0; p < kh * kw; p++)
            {
                float sum = 0;
                for (int c = 0; c < cin; c++) sum += w[(p * cin + c) * cout + o];
                filters[o][p] = sum / cin;
            }
        }
        int columns = Mosaic.Columns(cout);
        var plot = new Plot();
        var heatmap = plot.Add.Heatmap(Mosaic.Arrange(filters, kh, kw, columns, symmetric: true));
        heatmap.Colormap = new ScottPlot.Colormaps.Balance();
        heatmap.ManualRange = new ScottPlot.Range(-1, 1);
        heatmap.NaNCellColor = Colors.White;
        plot.Title($"{conv.Name}: {cout} filters of {kh}×{kw}{(cin > 1 ? $", mean of {cin} input channels" : "")}");
        plot.Axes.Frameless();
        plot.HideGrid();
        plot.Axes.SquareUnits();
        return plot;
    }

    /// <summary>The named Conv2D, or the first one; an error names the layers there are.</summary>
    public static Conv2D FindConvolution(Model model, string? layer)
    {
        ArgumentNullException.ThrowIfNull(model);
        var convolutions = model.Layers.OfType<Conv2D>().ToList();
        if (layer == null)
            return convolutions.FirstOrDefault() ?? throw new ArgumentException("The model has no Conv2D layer, so no filters to show.");
        var named = model.Layers.FirstOrDefault(l => l.Name == layer)
            ?? throw new ArgumentException($"No layer '{Excerpt.Of(layer)}' in the model; its Conv2D layers are {string.Join(", ", convolutions.Select(c => c.Name))}.");
        return named as Conv2D ?? throw new ArgumentException($"Layer '{layer}' is a {named.TypeName}, not a Conv2D; filters are shown for {string.Join(", ", convolutions.Select(c => c.Name))}.");
    }
}
