using ScottPlot;

namespace Trilobite.Plotting.Tests;

[Collection(TrainedDigitsCollection.Name)]
public sealed class HistoryChartTests(TrainedDigits digits)
{
    [Fact]
    public void Every_epoch_of_a_real_run_is_drawn_where_its_value_is_training_blue_validation_orange()
    {
        var curves = TrainingCurves.From(digits.History);
        Assert.Equal(["loss", "accuracy"], curves.Quantities);
        Assert.True(curves.Values["loss"][^1] < curves.Values["loss"][0], "the run should learn");
        var chart = HistoryChart.Build(curves);
        using var rendered = chart.Render(1000, 420);
        var image = Png.Decode(rendered);

        for (int panel = 0; panel < 2; panel++)
        {
            var plot = chart.GetPlot(panel);
            string q = curves.Quantities[panel];
            for (int e = 0; e < curves.Epochs.Count; e++)
            {
                var training = plot.GetPixel(new Coordinates(curves.Epochs[e], curves.Values[q][e]));
                var validation = plot.GetPixel(new Coordinates(curves.Epochs[e], curves.Values["val_" + q][e]));
                Assert.True(Png.Near(image, training, HistoryChart.Training), $"{q} epoch {e + 1}: no training marker at {training}");
                Assert.True(Png.Near(image, validation, HistoryChart.Validation), $"{q} epoch {e + 1}: no validation marker at {validation}");
            }
        }
        // The loss falls, so its first training marker is drawn higher (smaller y) than its last.
        var loss = chart.GetPlot(0);
        Assert.True(loss.GetPixel(new Coordinates(1, curves.Values["loss"][0])).Y < loss.GetPixel(new Coordinates(3, curves.Values["loss"][^1])).Y);
        // Away from the curves the panel is background, not line colour.
        var limits = loss.Axes.GetLimits();
        var empty = loss.GetPixel(new Coordinates(1.5, limits.Top - 0.02 * (limits.Top - limits.Bottom)));
        Assert.False(Png.Near(image, empty, HistoryChart.Training, radius: 0));
    }

    [Fact]
    public void The_CSV_a_run_writes_reads_back_as_the_same_curves_and_saves_a_png()
    {
        string dir = Directory.CreateTempSubdirectory("trilobite-plot-").FullName;
        try
        {
            string csv = Path.Combine(dir, "history.csv");
            var logger = new CSVLogger(csv);
            var h = digits.History;
            logger.OnTrainBegin();
            for (int e = 0; e < h.Epochs.Count; e++)
                logger.OnEpochEnd(h.Epochs[e], h.Values.ToDictionary(kv => kv.Key, kv => kv.Value[e]));
            var curves = TrainingCurves.Load(csv);
            Assert.Equal([1, 2, 3], curves.Epochs);
            foreach (var (key, values) in h.Values) Assert.Equal(values, curves.Values[key]);

            string png = Path.Combine(dir, "curves.png");
            HistoryChart.Save(curves, png);
            var picture = Vision.Imaging.ImageFile.Load(png);
            Assert.Equal((1000, 420), (picture.Width, picture.Height));
        }
        finally { Directory.Delete(dir, recursive: true); }
    }

    [Theory]
    [InlineData("", "the history file is empty")]
    [InlineData("loss,accuracy\n0.5,0.9\n", "line 1 must be a header 'epoch,loss,…' of distinct names, got 'loss,accuracy'")]
    [InlineData("epoch,loss,loss\n0,1,2\n", "of distinct names")]
    [InlineData("epoch,loss\n", "no epochs yet (only the header)")]
    [InlineData("epoch,loss\n0,0.5,7\n", "line 2 has 3 values, the header 2")]
    [InlineData("epoch,loss\nfirst,0.5\n", "line 2: the epoch must be a whole number from 0, got 'first'")]
    [InlineData("epoch,loss\n0,low\n", "line 2: 'loss' must be a number, got 'low'")]
    public void A_malformed_history_file_is_one_line_naming_the_file_and_line(string content, string expected)
    {
        string path = Path.Combine(Path.GetTempPath(), $"trilobite-history-{Guid.NewGuid():N}.csv");
        File.WriteAllText(path, content);
        try
        {
            var e = Assert.Throws<InvalidDataException>(() => TrainingCurves.Load(path));
            Assert.StartsWith(path + ": ", e.Message);
            Assert.Contains(expected, e.Message);
            Assert.DoesNotContain('\n', e.Message);
        }
        finally { File.Delete(path); }
    }

    [Fact]
    public void An_oversized_history_file_is_refused_unread()
    {
        string path = Path.Combine(Path.GetTempPath(), $"trilobite-history-{Guid.NewGuid():N}.csv");
        using (var f = File.Create(path)) f.SetLength(TrainingCurves.MaxFileBytes + 1);
        try { Assert.Contains("too large for a training history", Assert.Throws<InvalidDataException>(() => TrainingCurves.Load(path)).Message); }
        finally { File.Delete(path); }
    }

    [Fact]
    public void Pictures_are_png_files_in_folders_that_exist()
    {
        var curves = TrainingCurves.From(digits.History);
        Assert.Contains("name the file *.png", Assert.Throws<ArgumentException>(() => HistoryChart.Save(curves, "curves.jpg")).Message);
        Assert.Throws<ArgumentOutOfRangeException>(() => HistoryChart.Save(curves, Path.Combine(Path.GetTempPath(), "c.png"), width: 10));
    }
}
