using System.Globalization;
using ScottPlot;

namespace Trilobite.Plotting;

/// <summary>
/// A confusion matrix as scikit-learn's <c>ConfusionMatrixDisplay</c> draws it: true class down the side, predicted class
/// along the bottom, each cell shaded by its share of the true class's samples (so rare classes read as clearly as common
/// ones) and labelled with its count. A good classifier is a dark diagonal.
/// </summary>
public static class ConfusionMatrixChart
{
    /// <summary>Writes the chart to a PNG (atomically); the default size suits up to about 20 classes.</summary>
    public static void Save(ConfusionMatrix matrix, string path, int width = 720, int height = 640) =>
        ChartFile.Save(path, width, height, Build(matrix).GetImage);

    /// <summary>The chart before rendering: cell (truth t, prediction p) is centred on (p, Classes − 1 − t).</summary>
    internal static Plot Build(ConfusionMatrix matrix)
    {
        ArgumentNullException.ThrowIfNull(matrix);
        int n = matrix.Classes;
        var share = new double[n, n];
        for (int t = 0; t < n; t++)
        {
            long row = 0;
            for (int p = 0; p < n; p++) row += matrix[t, p];
            for (int p = 0; p < n; p++) share[t, p] = row == 0 ? 0 : (double)matrix[t, p] / row;
        }
        var plot = new Plot();
        var heatmap = plot.Add.Heatmap(share);       // row 0 of the array is drawn at the top
        heatmap.Colormap = new ScottPlot.Colormaps.Reversed(new ScottPlot.Colormaps.Blues());   // Blues runs dark → white; more is darker
        heatmap.ManualRange = new ScottPlot.Range(0, 1);
        for (int t = 0; t < n; t++)
            for (int p = 0; p < n; p++)
            {
                var label = plot.Add.Text(matrix[t, p].ToString(CultureInfo.InvariantCulture), p, n - 1 - t);
                label.LabelAlignment = Alignment.MiddleCenter;
                label.LabelFontSize = n <= 12 ? 13 : 9;
                label.LabelFontColor = share[t, p] > 0.5 ? Colors.White : Colors.Black;
            }
        double[] positions = [.. Enumerable.Range(0, n).Select(i => (double)i)];
        plot.Axes.Bottom.TickGenerator = new ScottPlot.TickGenerators.NumericManual(positions, [.. matrix.ClassNames]);
        plot.Axes.Left.TickGenerator = new ScottPlot.TickGenerators.NumericManual(positions, [.. matrix.ClassNames.Reverse()]);
        plot.XLabel("Predicted class");
        plot.YLabel("True class");
        plot.Title($"Confusion matrix: {matrix.Total} samples, accuracy {matrix.Accuracy.ToString("F4", CultureInfo.InvariantCulture)}");
        plot.Add.ColorBar(heatmap).Label = "share of the true class";
        plot.Axes.SetLimits(-0.5, n - 0.5, -0.5, n - 0.5);
        plot.HideGrid();
        return plot;
    }
}
