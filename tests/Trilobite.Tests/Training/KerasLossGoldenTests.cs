using System.Text.Json.Nodes;

namespace Trilobite.Tests.Training;

/// <summary>
/// The losses against Keras 3's formulas: values and gradients from Golden/keras_losses.py (Keras's numpy-backend code in
/// float64, torch autograd for the gradients; run it to regenerate keras_losses.json), on both devices. Covers saturated
/// probabilities (clipped: no gradient), unnormalised rows, extreme logits, and every reduction with sample weights.
/// </summary>
public class KerasLossGoldenTests
{
    private static readonly JsonArray Cases = (JsonArray)JsonNode.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Training", "Golden", "keras_losses.json")))!["cases"]!;

    public static TheoryData<int, string> Indices
    {
        get
        {
            var data = new TheoryData<int, string>();
            for (int i = 0; i < Cases.Count; i++) foreach (var device in new[] { "cpu", "reference" }) data.Add(i, device);
            return data;
        }
    }

    [Theory]
    [MemberData(nameof(Indices))]
    public void MatchesKeras(int index, string device)
    {
        using var _ = DefaultDevice.Use(device);
        var c = Cases[index]!.AsObject();
        float[] F(string key) => c[key]!.AsArray().Select(v => (float)v!.GetValue<double>()).ToArray();
        int[] I(string key) => c[key]!.AsArray().Select(v => v!.GetValue<int>()).ToArray();
        bool sparse = c["loss"]!.GetValue<string>() == "categorical" && c["target_shape"]!.AsArray().Count == 1 && I("shape").Length == 2;
        var reduction = LossReductions.Parse(c["reduction"]!.GetValue<string>());
        bool fromLogits = c["from_logits"]!.GetValue<bool>();
        Loss loss = c["loss"]!.GetValue<string>() switch
        {
            "categorical" when sparse => new Losses.SparseCategoricalCrossentropy { FromLogits = fromLogits, Reduction = reduction },
            "categorical" => new Losses.CategoricalCrossentropy { FromLogits = fromLogits, Reduction = reduction },
            "binary" => new Losses.BinaryCrossentropy { FromLogits = fromLogits, Reduction = reduction },
            _ => new Losses.MeanSquaredError { Reduction = reduction },
        };
        var prediction = Tensor.FromArray(F("prediction"), I("shape"));
        prediction.RequiresGrad = true;
        var target = Tensor.FromArray(F("target"), I("target_shape"));
        var weights = c["sample_weight"] is JsonArray w ? Tensor.FromArray(w.Select(v => (float)v!.GetValue<double>()).ToArray(), w.Count) : null;

        var value = loss.Compute(prediction, target, weights);
        double[] expected = c["value"]!.AsArray().Select(v => v!.GetValue<double>()).ToArray();
        Backends.BackendTesting.Agree(expected, value.ToDoubleArray(), 1e-5, 1e-5, $"{c["name"]} value");
        (value.Rank == 0 ? value : value.Sum()).Backward();
        double[] gradient = c["gradient_of_sum"]!.AsArray().Select(v => v!.GetValue<double>()).ToArray();
        Backends.BackendTesting.Agree(gradient, prediction.Grad!.ToDoubleArray(), 1e-5, 1e-4, $"{c["name"]} gradient");
    }

    [Fact]
    public void ASaturatedProbabilityPassesNoGradient()
    {
        // The issue's case: 4 rows, one of them p = (1, 0, 0) against class 1. Keras clips, so that row's gradient is 0;
        // adding ε inside the log instead gave −1/(N·ε) = −2.5·10⁶.
        var p = Tensor.FromArray([0.7f, 0.2f, 0.1f, 1, 0, 0, 0.2f, 0.5f, 0.3f, 0.1f, 0.1f, 0.8f], 4, 3);
        p.RequiresGrad = true;
        var t = Tensor.FromArray([1, 0, 0, 0, 1, 0, 0, 1, 0, 0, 0, 1], 4, 3);
        var value = Loss.CategoricalCrossentropy.Compute(p, t);
        value.Backward();
        Assert.All(p.Grad!.ToArray()[3..6], g => Assert.Equal(0, g));
        Assert.Equal(-(Math.Log(0.7) + Math.Log(float.Parse("1e-7", System.Globalization.CultureInfo.InvariantCulture)) + Math.Log(0.5) + Math.Log(0.8)) / 4, value.ToArray()[0], 4);
    }

    [Fact]
    public void ReductionNoneIsRefusedForTrainingAndNamesAreKeras()
    {
        var model = new Sequential(new Trilobite.Layers.Dense(2, inputShape: [3]));
        var ex = Assert.Throws<ArgumentException>(() => model.Compile(new Losses.MeanSquaredError { Reduction = LossReduction.None }, new SGD()));
        Assert.Contains("reduction none", ex.Message);
        Assert.Equal(LossReduction.MeanWithSampleWeight, LossReductions.Parse("mean_with_sample_weight"));
        Assert.Equal("sum_over_batch_size", LossReductions.Name(LossReductions.Parse("mean")));
        Assert.Throws<ArgumentException>(() => LossReductions.Parse("average"));
    }

    [Fact]
    public void AllZeroSampleWeightsGiveLossZeroAndNoNan()
    {
        // Keras's mean_with_sample_weight divides with divide_no_nan: a batch weighted out entirely costs 0, not 0/0.
        var p = Tensor.FromArray([0.7f, 0.3f, 0.4f, 0.6f], 2, 2);
        p.RequiresGrad = true;
        var t = Tensor.FromArray([1, 0, 0, 1], 2, 2);
        var loss = new Losses.CategoricalCrossentropy { Reduction = LossReduction.MeanWithSampleWeight };
        var value = loss.Compute(p, t, Tensor.FromArray([0f, 0f], 2));
        value.Backward();
        Assert.Equal(0, value.ToArray()[0]);
        Assert.All(p.Grad!.ToArray(), g => Assert.Equal(0, g));
        // With real weights it is still the weighted mean: (1·−log 0.7 + 3·−log 0.6) / 4.
        var weighted = loss.Compute(p, t, Tensor.FromArray([1f, 3f], 2)).ToArray()[0];
        Assert.Equal(-(Math.Log(0.7) + 3 * Math.Log(0.6)) / 4, weighted, 5);
    }

    [Fact]
    public void TargetsOfTheSameLengthInAnotherShapeAreAlignedNotBroadcast()
    {
        var p = Tensor.FromArray([0.7f, 0.2f, 0.1f, 0.1f, 0.8f, 0.1f], 2, 3);
        var rows = Tensor.FromArray([1, 0, 0, 0, 1, 0], 2, 3);
        var flat = Tensor.FromArray([1, 0, 0, 0, 1, 0], 6);
        foreach (Loss loss in new Loss[] { Loss.CategoricalCrossentropy, Loss.BinaryCrossentropy })
            Assert.Equal(loss.PerSample(p, rows).ToArray(), loss.PerSample(p, flat).ToArray());
    }
}
