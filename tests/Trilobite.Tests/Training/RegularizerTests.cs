using Trilobite.Layers;
using Trilobite.Serialization;

namespace Trilobite.Tests.Training;

/// <summary>Keras's kernel and bias regularizers: the penalty, its gradient in a step, the logged loss and the config, on both devices.</summary>
public class RegularizerTests
{
    [Theory]
    [MemberData(nameof(DefaultDevice.Both), MemberType = typeof(DefaultDevice))]
    public void PenaltiesAreKerasFormulas(string device)
    {
        using var _ = DefaultDevice.Use(device);
        var w = Tensor.FromArray([1, -2, 3], 3);
        Assert.Equal(0.1 * 6, Regularizer.L1(0.1).Penalty(w).ToArray()[0], 6);
        Assert.Equal(0.1 * 14, Regularizer.L2(0.1).Penalty(w).ToArray()[0], 6);
        Assert.Equal(0.1 * 6 + 0.2 * 14, Regularizer.L1L2(0.1, 0.2).Penalty(w).ToArray()[0], 5);
        Assert.Equal(0, Regularizer.L1L2().Penalty(w).ToArray()[0]);
        Assert.Throws<ArgumentOutOfRangeException>(() => Regularizer.L2(-1));
    }

    [Theory]
    [MemberData(nameof(DefaultDevice.Both), MemberType = typeof(DefaultDevice))]
    public void ATrainingStepFollowsTheRegularizedLossAndLogsIt(string device)
    {
        using var _ = DefaultDevice.Use(device);
        // pred = x·w + b = 1·1 + 2·(−1) + 0.5 = −0.5; MSE = 0.25; dL/dpred = 2·(−0.5) = −1; g_w = xᵀ·(−1) = (−1, −2), g_b = −1.
        // Penalties: L2(0.5) on w adds 2·0.5·w = (1, −1) and 0.5·Σw² = 1; L1(0.25) on b adds 0.25·sign(b) = 0.25 and 0.125.
        var dense = new Dense(1, inputShape: [2], kernelRegularizer: Regularizer.L2(0.5), biasRegularizer: Regularizer.L1(0.25));
        var model = new Sequential(dense);
        dense.SetWeights([[1, -1], [0.5f]]);
        model.Compile(Loss.MeanSquaredError, new SGD(0.1));
        var logs = model.TrainOnBatch(Tensor.FromArray([1, 2], 1, 2), Tensor.FromArray([0], 1, 1));
        Assert.Equal(0.25 + 1 + 0.125, logs["loss"], 5);
        var w = dense.GetWeights();
        Assert.Equal(1 - 0.1 * (-1 + 1), w[0][0], 5);      // 1
        Assert.Equal(-1 - 0.1 * (-2 - 1), w[0][1], 5);     // −0.7
        Assert.Equal(0.5 - 0.1 * (-1 + 0.25), w[1][0], 5); // 0.575
    }

    [Fact]
    public void AFrozenLayerIsNotPenalized()
    {
        var dense = new Dense(1, inputShape: [2], kernelRegularizer: Regularizer.L2(10)) { Trainable = false };
        var model = new Sequential(dense, new Dense(1, useBias: false));
        model.Compile(Loss.MeanSquaredError, new SGD(0.1));
        var x = Tensor.FromArray([1, 2], 1, 2);
        var y = Tensor.FromArray([0], 1, 1);
        Assert.Equal(model.TestOnBatch(x, y)["loss"], model.TrainOnBatch(x, y)["loss"], 6);
    }

    [Fact]
    public void RegularizersRoundTripThroughConfigsAndFiles()
    {
        var dense = new Dense(4, kernelRegularizer: Regularizer.L1L2(0.01, 0.02), biasRegularizer: Regularizer.L2(0.5));
        var conv = new Conv2D(2, 3, kernelRegularizer: Regularizer.L1(0.003));
        foreach (Layer layer in new Layer[] { dense, conv })
        {
            var copy = LayerRegistry.Create(LayerRegistry.Describe(layer));
            Assert.Equal(layer.GetConfig().ToJsonString(), copy.GetConfig().ToJsonString());
        }
        Assert.Contains("\"kernel_regularizer\":{\"class_name\":\"L1L2\",\"config\":{\"l1\":0.01,\"l2\":0.02}}", dense.GetConfig().ToJsonString());
        Assert.Contains("\"bias_regularizer\":null", conv.GetConfig().ToJsonString());

        var model = new Sequential(new Dense(3, inputShape: [2], kernelRegularizer: Regularizer.L2(0.25)));
        model.Compile(Loss.MeanSquaredError, new SGD(0.1));
        string path = Path.Combine(TestData.NewTempDirectory(), "regularized.trilo");
        model.Save(path);
        var loaded = (Dense)((Sequential)Model.Load(path)).Stack[0];
        Assert.Equal(0.25, loaded.KernelRegularizer!.L2Factor);
        var bad = Assert.Throws<InvalidDataException>(() => Regularizer.FromConfig(System.Text.Json.Nodes.JsonNode.Parse("{\"class_name\": \"L3\"}")));
        Assert.Contains("Unknown regularizer 'L3'", bad.Message);
    }
}
