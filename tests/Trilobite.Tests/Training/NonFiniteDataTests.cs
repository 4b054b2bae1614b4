using Trilobite.Kernels;
using Trilobite.Layers;
using Trilobite.Training;

namespace Trilobite.Tests.Training;

/// <summary>NaN or ±∞ in training data is reported with the sample before training starts, or at the batch that produced it.</summary>
public class NonFiniteDataTests
{
    private static Model Small()
    {
        RandomSeed.Set(1);
        var model = new Sequential(new Dense(3, inputShape: [4]), new Dense(2, activation: Activation.Softmax));
        model.Compile(Loss.CategoricalCrossentropy, new Adam());
        return model;
    }

    [Theory]
    [InlineData(0)]
    [InlineData(7)]
    [InlineData(8)]
    [InlineData(1000)]
    [InlineData(1999)]
    public void The_scan_finds_the_first_non_finite_value_wherever_it_is(int at)
    {
        var values = Enumerable.Range(0, 2000).Select(i => (float)Math.Sin(i) * 1e30f).ToArray();
        Assert.Equal(-1, NonFiniteScan.FirstIndex(values));
        foreach (float bad in new[] { float.NaN, float.PositiveInfinity, float.NegativeInfinity })
        {
            var copy = (float[])values.Clone();
            copy[at] = bad;
            if (at + 5 < copy.Length) copy[at + 5] = float.NaN;
            Assert.Equal(at, NonFiniteScan.FirstIndex(copy));
        }
    }

    [Fact]
    public void Fit_refuses_arrays_naming_the_sample_before_any_step()
    {
        var model = Small();
        var before = model.GetWeights();
        var x = Enumerable.Range(0, 40).Select(i => (float)i / 40).ToArray();
        x[4 * 6 + 2] = float.NaN;
        var y = Enumerable.Range(0, 20).SelectMany(i => new[] { 1f, 0f }).ToArray();
        var e = Assert.Throws<ArgumentException>(() => model.Fit(Tensor.FromArray(x, 10, 4), Tensor.FromArray(y[..20], 10, 2), epochs: 1, verbose: 0));
        Assert.Contains("x holds NaN at input 6 (value 2 of it)", e.Message);
        Assert.Equal(before, model.GetWeights());
        y[3] = float.PositiveInfinity;
        var t = Assert.Throws<ArgumentException>(() => model.Fit(Tensor.FromArray([.. Enumerable.Repeat(0.5f, 40)], 10, 4), Tensor.FromArray(y[..20], 10, 2), epochs: 1, verbose: 0));
        Assert.Contains("y holds ∞ at target 1", t.Message.Replace("Infinity", "∞"));
    }

    [Fact]
    public void A_source_that_produces_NaN_stops_training_at_that_batch()
    {
        var model = Small();
        var source = new PoisonedSource(badBatch: 2);
        var e = Assert.Throws<InvalidDataException>(() => model.Fit(source, new FitOptions { Epochs = 1, Verbose = 0 }));
        Assert.Contains("epoch 1, batch 2: the inputs hold NaN at sample 1 of the batch (value 3)", e.Message);
    }

    private sealed class PoisonedSource(int badBatch) : IBatchSource
    {
        public int BatchesPerEpoch => 4;
        public int Count => 16;

        public IEnumerable<Batch> Batches(int epoch)
        {
            for (int b = 0; b < BatchesPerEpoch; b++)
            {
                var x = Enumerable.Repeat(0.25f, 16).ToArray();
                if (b == badBatch) x[4 + 3] = float.NaN;
                yield return new Batch(Tensor.FromArray(x, 4, 4), Tensor.FromArray([.. Enumerable.Range(0, 4).SelectMany(_ => new[] { 0f, 1f })], 4, 2));
            }
        }
    }
}
