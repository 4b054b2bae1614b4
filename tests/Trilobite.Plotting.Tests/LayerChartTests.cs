using ScottPlot;
using Trilobite.Layers;

namespace Trilobite.Plotting.Tests;

[Collection(TrainedDigitsCollection.Name)]
public sealed class LayerChartTests(TrainedDigits digits)
{
    [Fact]
    public void Each_filter_tap_is_red_where_its_weight_is_positive_and_blue_where_negative()
    {
        var conv = (Conv2D)digits.Model.Layers.First(l => l is Conv2D);
        float[] w = conv.Kernel.Value.ToArray();      // (3, 3, 1, 32)
        var plot = FilterChart.Build(digits.Model);
        using var rendered = plot.GetImage(800, 800);
        var image = Png.Decode(rendered);
        int columns = Mosaic.Columns(32), rows = (32 + columns - 1) / columns, gridRows = rows * 4 - 1, strong = 0;
        for (int o = 0; o < 32; o++)
        {
            float magnitude = Enumerable.Range(0, 9).Max(p => Math.Abs(w[p * 32 + o]));
            for (int p = 0; p < 9; p++)
            {
                float v = w[p * 32 + o] / magnitude;
                if (Math.Abs(v) < 0.6) continue;
                int gridRow = o / columns * 4 + p / 3, gridColumn = o % columns * 4 + p % 3;
                var px = plot.GetPixel(new Coordinates(gridColumn, gridRows - 1 - gridRow));   // heatmap row 0 is at the top
                var (r, _, b) = Png.At(image, px.X, px.Y);
                Assert.True(v > 0 ? r > b + 40 : b > r + 40, $"filter {o} tap {p} = {v:F2} drawn as ({r}, _, {b})");
                strong++;
            }
        }
        Assert.True(strong > 32, $"only {strong} strong taps");
    }

    [Fact]
    public void Activation_tiles_are_bright_where_the_layer_fires_on_a_real_digit_and_dark_where_it_is_zero()
    {
        var digit = digits.Test.X.Slice(0, 1);                         // (1, 28, 28, 1)
        var maps = digits.Model.UpTo("conv2d_1").Predict(digit, 1);    // (1, 26, 26, 32), after ReLU
        float[] a = maps.ToArray();
        var plot = ActivationChart.Build(digits.Model, digit);
        using var rendered = plot.GetImage(900, 900);
        var image = Png.Decode(rendered);
        int columns = Mosaic.Columns(32), gridRows = (32 + columns - 1) / columns * 27 - 1, checkedMaps = 0;
        for (int ch = 0; ch < 32; ch++)
        {
            var values = Enumerable.Range(0, 26 * 26).Select(p => a[p * 32 + ch]).ToArray();
            float hi = values.Max();
            if (hi <= 0) continue;
            int brightest = Array.IndexOf(values, hi), zero = Array.FindIndex(values, v => v == values.Min());
            int Brightness(int p)
            {
                int gr = ch / columns * 27 + p / 26, gc = ch % columns * 27 + p % 26;
                var px = plot.GetPixel(new Coordinates(gc, gridRows - 1 - gr));
                return Png.At(image, px.X, px.Y).R;
            }
            Assert.True(Brightness(brightest) > 200, $"channel {ch}: its strongest unit is drawn at {Brightness(brightest)}");
            Assert.True(Brightness(zero) < 40, $"channel {ch}: its weakest unit is drawn at {Brightness(zero)}");
            checkedMaps++;
        }
        Assert.True(checkedMaps >= 16, $"only {checkedMaps} channels fired");
    }

    [Fact]
    public void Asking_for_a_layer_that_has_no_pictures_says_which_layers_do()
    {
        var digit = digits.Test.X.Slice(0, 1);
        Assert.Contains("is a Dense, not a Conv2D", Assert.Throws<ArgumentException>(() => FilterChart.Build(digits.Model, "dense_1")).Message);
        Assert.Contains("has no layer 'nope'", Assert.Throws<ArgumentException>(() => ActivationChart.Build(digits.Model, digit, "nope")).Message);
        Assert.Contains("not feature maps", Assert.Throws<ArgumentException>(() => ActivationChart.Build(digits.Model, digit, "dense_1")).Message);
        Assert.Contains("One sample is shown at a time", Assert.Throws<ArgumentException>(() => ActivationChart.Build(digits.Model, digits.Test.X.Slice(0, 2))).Message);
        var dense = new Sequential(new Flatten(inputShape: [28, 28, 1]), new Dense(10));
        Assert.Contains("no Conv2D layer", Assert.Throws<ArgumentException>(() => FilterChart.Build(dense)).Message);
    }
}
