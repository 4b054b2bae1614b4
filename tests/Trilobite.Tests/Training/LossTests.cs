using Trilobite.Layers;

namespace Trilobite.Tests.Training;

public class LossTests
{
    private static readonly Tensor Probabilities = Tensor.FromArray([0.7f, 0.2f, 0.1f, 0.1f, 0.1f, 0.8f], 2, 3);
    private static readonly Tensor OneHot = Tensor.FromArray([1, 0, 0, 0, 0, 1], 2, 3);

    [Fact]
    public void CategoricalCrossentropyOnProbabilities() =>
        Assert.Equal(-(Math.Log(0.7) + Math.Log(0.8)) / 2, Loss.CategoricalCrossentropy.Compute(Probabilities, OneHot).Span[0], 4);

    [Fact]
    public void SparseCategoricalCrossentropy() =>
        Assert.Equal(-(Math.Log(0.7) + Math.Log(0.8)) / 2, Loss.SparseCategoricalCrossentropy.Compute(Probabilities, Tensor.FromArray([0, 2], 2)).Span[0], 4);

    [Fact]
    public void FromLogitsMatchesSoftmaxThenLoss()
    {
        var logits = Tensor.FromArray([2, 1, 0.5f, -1, 0, 3], 2, 3);
        float fused = new Losses.CategoricalCrossentropy { FromLogits = true }.Compute(logits, OneHot).Span[0];
        float viaProbabilities = Loss.CategoricalCrossentropy.Compute(logits.Detach().Softmax(), OneHot).Span[0];
        Assert.Equal(viaProbabilities, fused, 4);
    }

    [Fact]
    public void BinaryCrossentropy()
    {
        var p = Tensor.FromArray([0.9f, 0.2f], 2, 1);
        var t = Tensor.FromArray([1, 0], 2, 1);
        Assert.Equal(-(Math.Log(0.9) + Math.Log(0.8)) / 2, Loss.BinaryCrossentropy.Compute(p, t).Span[0], 4);
    }

    [Fact]
    public void MeanSquaredError() =>
        Assert.Equal((0.09 + 0.04 + 0.01 + 0.01 + 0.01 + 0.04) / 6, Loss.MeanSquaredError.Compute(Probabilities, OneHot).Span[0], 5);

    [Fact]
    public void SoftmaxOutputUsesTheFusedStablePath()
    {
        // Saturated logits: a naive log(softmax) would give log(0) = −∞; the fused path stays finite and exact.
        var dense = new Dense(2, activation: Activation.Softmax, useBias: false);
        dense.Build([1]);
        dense.SetWeights([[1000f, -1000f]]);
        var p = dense.Call(Tensor.FromArray([1f], 1, 1));
        Assert.Equal(2000, Loss.SparseCategoricalCrossentropy.Compute(p, Tensor.FromArray([1f], 1)).Span[0], 1);
    }

    [Fact]
    public void MismatchedTargetsGiveAHelpfulError()
    {
        var ex = Assert.Throws<ArgumentException>(() => Loss.CategoricalCrossentropy.Compute(Probabilities, Tensor.FromArray([0, 2], 2)));
        Assert.Contains("(2, 3)", ex.Message);
        Assert.Contains("SparseCategoricalCrossentropy", ex.Message);
    }

    [Fact]
    public void AccuracyPicksCategoricalSparseOrBinary()
    {
        var acc = Metric.Accuracy;
        acc.Update(Probabilities, OneHot);
        Assert.Equal(1.0, acc.Result);
        acc.Reset();
        acc.Update(Probabilities, Tensor.FromArray([1, 2], 2));
        Assert.Equal(0.5, acc.Result);
        acc.Reset();
        acc.Update(Tensor.FromArray([0.9f, 0.2f, 0.6f], 3, 1), Tensor.FromArray([1, 1, 1], 3, 1));
        Assert.Equal(2.0 / 3, acc.Result, 6);
        var top2 = Metric.TopKAccuracy(2);
        top2.Update(Probabilities, Tensor.FromArray([1, 0], 2));
        Assert.Equal(1.0, top2.Result);
    }
}
