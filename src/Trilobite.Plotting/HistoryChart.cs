using ScottPlot;

namespace Trilobite.Plotting;

/// <summary>
/// Learning curves as Keras users draw them from <c>history.history</c>: one panel per quantity (loss, accuracy, …),
/// training in blue and validation in orange, against the epoch. A widening gap between them is overfitting.
/// </summary>
public static class HistoryChart
{
    /// <summary>Training's colour (Category10 blue, as Matplotlib's first line).</summary>
    public static readonly Color Training = Color.FromHex("#1F77B4");

    /// <summary>Validation's colour (Category10 orange).</summary>
    public static readonly Color Validation = Color.FromHex("#FF7F0E");

    /// <summary>Writes the curves to a PNG of <paramref name="width"/> × <paramref name="height"/> pixels (atomically).</summary>
    public static void Save(TrainingCurves curves, string path, int width = 1000, int height = 420) =>
        ChartFile.Save(path, width, height, Build(curves).Render);

    /// <summary>The panels, one column each, before rendering (tests read pixel positions from them).</summary>
    internal static Multiplot Build(TrainingCurves curves)
    {
        ArgumentNullException.ThrowIfNull(curves);
        var quantities = curves.Quantities;
        var chart = new Multiplot();
        chart.AddPlots(quantities.Count);
        chart.Layout = new ScottPlot.MultiplotLayouts.Columns();
        double[] epochs = [.. curves.Epochs.Select(e => (double)e)];
        for (int i = 0; i < quantities.Count; i++)
        {
            var plot = chart.GetPlot(i);
            string q = quantities[i];
            if (curves.Values.TryGetValue(q, out var train)) Line(plot, epochs, train, "training", Training);
            if (curves.Values.TryGetValue("val_" + q, out var validation)) Line(plot, epochs, validation, "validation", Validation);
            plot.Title(Title(q));
            plot.XLabel("Epoch");
            plot.Axes.Bottom.TickGenerator = new ScottPlot.TickGenerators.NumericAutomatic { IntegerTicksOnly = true };
            plot.ShowLegend(Edge.Bottom);   // outside the data area: a legend inside hides the points it sits on
        }
        return chart;
    }

    private static void Line(Plot plot, double[] epochs, double[] values, string label, Color color)
    {
        var line = plot.Add.Scatter(epochs, values, color);
        line.LegendText = label;
        line.LineWidth = 2;
        line.MarkerSize = 6;
    }

    private static string Title(string quantity) => quantity.Length == 0 ? quantity : char.ToUpperInvariant(quantity[0]) + quantity[1..].Replace('_', ' ');
}
