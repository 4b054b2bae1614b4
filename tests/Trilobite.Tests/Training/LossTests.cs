using Trilobite.Layers;

namespace Trilobite.Tests.Training;

/// <summary>The losses and metrics against values worked by hand, on both devices.</summary>
public class LossTests
{
    private static Tensor Probabilities => Tensor.FromArray([0.7f, 0.2f, 0.1f, 0.1f, 0.1f, 0.8f], 2, 3);
    private static Tensor OneHot => Tensor.FromArray([1, 0, 0, 0, 0, 1], 2, 3);

    private static float Value(Tensor scalar) => scalar.ToArray()[0];

    [Theory]
    [MemberData(nameof(DefaultDevice.Both), MemberType = typeof(DefaultDevice))]
    public void CategoricalCrossentropyOnProbabilities(string device)
    {
        using var _ = DefaultDevice.Use(device);
        Assert.Equal(-(Math.Log(0.7) + Math.Log(0.8)) / 2, Value(Loss.CategoricalCrossentropy.Compute(Probabilities, OneHot)), 4);
    }

    [Theory]
    [MemberData(nameof(DefaultDevice.Both), MemberType = typeof(DefaultDevice))]
    public void SparseCategoricalCrossentropy(string device)
    {
        using var _ = DefaultDevice.Use(device);
        Assert.Equal(-(Math.Log(0.7) + Math.Log(0.8)) / 2, Value(Loss.SparseCategoricalCrossentropy.Compute(Probabilities, Tensor.FromArray([0, 2], 2))), 4);
    }

    [Theory]
    [MemberData(nameof(DefaultDevice.Both), MemberType = typeof(DefaultDevice))]
    public void FromLogitsMatchesSoftmaxThenLoss(string device)
    {
        using var _ = DefaultDevice.Use(device);
        var logits = Tensor.FromArray([2, 1, 0.5f, -1, 0, 3], 2, 3);
        float fused = Value(new Losses.CategoricalCrossentropy { FromLogits = true }.Compute(logits, OneHot));
        float viaProbabilities = Value(Loss.CategoricalCrossentropy.Compute(logits.Detach().Softmax(), OneHot));
        Assert.Equal(viaProbabilities, fused, 4);
    }

    [Theory]
    [MemberData(nameof(DefaultDevice.Both), MemberType = typeof(DefaultDevice))]
    public void BinaryCrossentropy(string device)
    {
        using var _ = DefaultDevice.Use(device);
        var p = Tensor.FromArray([0.9f, 0.2f], 2, 1);
        var t = Tensor.FromArray([1, 0], 2, 1);
        Assert.Equal(-(Math.Log(0.9) + Math.Log(0.8)) / 2, Value(Loss.BinaryCrossentropy.Compute(p, t)), 4);
    }

    [Theory]
    [MemberData(nameof(DefaultDevice.Both), MemberType = typeof(DefaultDevice))]
    public void MeanSquaredError(string device)
    {
        using var _ = DefaultDevice.Use(device);
        Assert.Equal((0.09 + 0.04 + 0.01 + 0.01 + 0.01 + 0.04) / 6, Value(Loss.MeanSquaredError.Compute(Probabilities, OneHot)), 5);
    }

    [Theory]
    [MemberData(nameof(DefaultDevice.Both), MemberType = typeof(DefaultDevice))]
    public void SoftmaxOutputUsesTheFusedStablePath(string device)
    {
        using var _ = DefaultDevice.Use(device);
        // Saturated logits: a naive log(softmax) would give log(0) = −∞; the fused path stays finite and exact.
        var dense = new Dense(2, activation: Activation.Softmax, useBias: false);
        dense.Build([1]);
        dense.SetWeights([[1000f, -1000f]]);
        var p = dense.Call(Tensor.FromArray([1f], 1, 1));
        Assert.Equal(2000, Value(Loss.SparseCategoricalCrossentropy.Compute(p, Tensor.FromArray([1f], 1))), 1);
    }

    [Theory]
    [MemberData(nameof(DefaultDevice.Both), MemberType = typeof(DefaultDevice))]
    public void MismatchedTargetsGiveAHelpfulError(string device)
    {
        using var _ = DefaultDevice.Use(device);
        var ex = Assert.Throws<ArgumentException>(() => Loss.CategoricalCrossentropy.Compute(Probabilities, Tensor.FromArray([0, 2], 2)));
        Assert.Contains("(2, 3)", ex.Message);
        Assert.Contains("SparseCategoricalCrossentropy", ex.Message);
    }

    [Theory]
    [MemberData(nameof(DefaultDevice.Both), MemberType = typeof(DefaultDevice))]
    public void AccuracyPicksCategoricalSparseOrBinary(string device)
    {
        using var _ = DefaultDevice.Use(device);
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
