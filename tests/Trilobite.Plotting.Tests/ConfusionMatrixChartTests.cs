using ScottPlot;

namespace Trilobite.Plotting.Tests;

[Collection(TrainedDigitsCollection.Name)]
public sealed class ConfusionMatrixChartTests(TrainedDigits digits)
{
    [Fact]
    public void The_matrix_of_real_predictions_counts_every_test_digit_and_agrees_with_evaluate()
    {
        var matrix = ConfusionMatrix.Of(digits.Model, digits.Test);
        Assert.Equal(digits.Test.Count, matrix.Total);
        Assert.Equal(digits.Model.Evaluate(digits.Test.X, digits.Test.Y, 256)["accuracy"], matrix.Accuracy, 6);
        // Row sums are the true class counts.
        float[] y = digits.Test.Y.ToArray();
        for (int t = 0; t < 10; t++)
        {
            long row = Enumerable.Range(0, 10).Sum(p => matrix[t, p]);
            Assert.Equal(Enumerable.Range(0, digits.Test.Count).Count(i => y[i * 10 + t] == 1), row);
        }
    }

    [Fact]
    public void Each_cell_is_shaded_by_its_share_of_the_true_class_dark_diagonal_pale_elsewhere()
    {
        var matrix = ConfusionMatrix.Of(digits.Model, digits.Test);
        var plot = ConfusionMatrixChart.Build(matrix);
        using var rendered = plot.GetImage(720, 640);
        var image = Png.Decode(rendered);
        int dark = 0, empty = 0;
        for (int t = 0; t < 10; t++)
        {
            long row = Enumerable.Range(0, 10).Sum(p => matrix[t, p]);
            for (int p = 0; p < 10; p++)
            {
                // A point in the cell's corner region, away from its count label.
                var px = plot.GetPixel(new Coordinates(p - 0.38, 9 - t + 0.38));
                var (r, g, b) = Png.At(image, px.X, px.Y);
                double share = (double)matrix[t, p] / row;
                if (share > 0.8) { Assert.True(r < 60 && b > r + 40, $"cell ({t}, {p}) share {share:F2}: expected dark blue, got ({r}, {g}, {b})"); dark++; }
                if (share == 0) { Assert.True(r > 235 && g > 235 && b > 235, $"cell ({t}, {p}) is empty: expected near white, got ({r}, {g}, {b})"); empty++; }
            }
        }
        Assert.True(dark >= 8 && empty >= 40, $"{dark} dark and {empty} empty cells checked");
    }

    [Fact]
    public void Class_names_come_from_the_model_and_wrong_counts_are_refused()
    {
        var names = new[] { "zero", "one", "two" };
        Assert.Equal(names, new ConfusionMatrix(3, names).ClassNames);
        Assert.Throws<ArgumentException>(() => new ConfusionMatrix(3, ["a", "b"]));
        var m = new ConfusionMatrix(2);
        Assert.Throws<ArgumentOutOfRangeException>(() => m.Add(0, 2));
        m.Add(1, 1);
        m.Add(1, 0);
        Assert.Equal((2, 0.5), (m.Total, m.Accuracy));
    }
}
