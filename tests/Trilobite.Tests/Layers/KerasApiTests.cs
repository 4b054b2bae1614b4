using System.Text.Json.Nodes;
using Trilobite.Layers;
using Trilobite.Serialization;

namespace Trilobite.Tests.Layers;

/// <summary>What a user porting Keras code reaches for: pooling pairs, global max pooling, batch statistics, logits heads, custom weights.</summary>
public class KerasApiTests
{
    [Fact]
    public void PoolingConfigsReadBothEntriesOfAPair()
    {
        // Keras writes {"pool_size": [2, 3], "strides": [1, 2]}; an int reads as both (older Keras configs).
        var keras = JsonNode.Parse("""{"class_name": "MaxPooling2D", "config": {"name": "p", "pool_size": [2, 3], "strides": [1, 2], "padding": "valid"}}""")!.AsObject();
        var pool = (MaxPooling2D)LayerRegistry.Create(keras);
        Assert.Equal((2, 3), pool.PoolSize);
        Assert.Equal((1, 2), pool.Strides);
        var square = (AveragePooling2D)LayerRegistry.Create(JsonNode.Parse("""{"class_name": "AveragePooling2D", "config": {"pool_size": 2, "strides": null}}""")!.AsObject());
        Assert.Equal(((2, 2), (2, 2)), (square.PoolSize, square.Strides));
        Assert.Throws<ArgumentOutOfRangeException>(() => new MaxPooling2D((2, 0)));
    }

    [Theory]
    [MemberData(nameof(DefaultDevice.Both), MemberType = typeof(DefaultDevice))]
    public void GlobalMaxPoolingTakesEachChannelsMaximum(string device)
    {
        using var _ = DefaultDevice.Use(device);
        // (1, 2, 2, 2): channel 0 = 1, 5, 3, 2 → 5; channel 1 = −1, −4, −2, −3 → −1.
        var x = Tensor.FromArray([1, -1, 5, -4, 3, -2, 2, -3], 1, 2, 2, 2);
        Assert.Equal([5f, -1f], new GlobalMaxPooling2D().Call(x).ToArray());
        Assert.Equal([1, 1, 1, 2], new GlobalMaxPooling2D(keepDims: true).Call(x).ShapeArray);
    }

    [Theory]
    [MemberData(nameof(DefaultDevice.Both), MemberType = typeof(DefaultDevice))]
    public void BatchNormalizationShowsTheStatisticsOfItsLastTrainingBatch(string device)
    {
        using var _ = DefaultDevice.Use(device);
        var bn = new BatchNormalization();
        Assert.Null(bn.BatchMean);
        var x = Tensor.FromArray([1, 10, 3, 20, 5, 60], 3, 2);   // channel 0: 1, 3, 5; channel 1: 10, 20, 60
        bn.Call(x, training: true);
        Assert.Equal([3f, 30f], bn.BatchMean!.ToArray());
        double[] variance = bn.BatchVariance!.ToDoubleArray();   // biased: Σ(x − μ)²/3
        Assert.Equal(8.0 / 3, variance[0], 3);
        Assert.Equal(1400.0 / 3, variance[1], 1);
        bn.Call(Tensor.Ones(3, 2), training: false);   // inference leaves them as they were
        Assert.Equal([3f, 30f], bn.BatchMean!.ToArray());
    }

    [Fact]
    public void ALogitsHeadTrainsFromLogitsAndPredictsProbabilitiesWithSoftmax()
    {
        RandomSeed.Set(4);
        var head = new Dense(3);
        var model = new Sequential(new Dense(5, activation: Activation.Tanh, inputShape: [4]), head);
        model.Compile(new Losses.CategoricalCrossentropy { FromLogits = true }, new Adam(0.05));
        var x = Tensor.Uniform([9, 4], -1, 1, 2);
        var y = Tensor.FromArray(Enumerable.Range(0, 27).Select(i => i % 4 == 0 ? 1f : 0f).ToArray(), 9, 3);
        model.Fit(x, y, batchSize: 9, epochs: 5, verbose: 0);
        var logits = model.Predict(x);
        var probabilities = model.WithSoftmax().Predict(x);
        Backends.BackendTesting.Agree(logits.Softmax().ToDoubleArray(), probabilities.ToDoubleArray(), 1e-6, 1e-5, "WithSoftmax");
        Assert.Equal(model.Weights.Count, model.WithSoftmax().Weights.Count);   // shared, not copied

        var softmaxHead = new Dense(3, activation: Activation.Softmax);
        var features = Tensor.Uniform([2, 4], -1, 1, 3);
        var scores = softmaxHead.Call(features);
        Assert.Equal(scores.ToArray(), softmaxHead.Logits(features).Softmax().ToArray());
    }

    /// <summary>A custom layer that makes its weight with the public constructor: y = x·scale per channel.</summary>
    private sealed class Scale() : SingleInputLayer(null, null)
    {
        public Weight? Factor { get; private set; }

        protected override int[] ComputeOutputShape(int[] s) => s;

        protected override void OnBuild(int[] s) => Factor = AddWeight(new Weight(this, "scale", [s[^1]], Initializers.Initializer.Ones));

        protected override Tensor Forward(Tensor x, bool training) => x * Factor!.Value;

        public Weight Adopt(Weight weight) => AddWeight(weight);
    }

    [Fact]
    public void ACustomLayerOwnsAWeightMadeWithThePublicConstructor()
    {
        var scale = new Scale();
        var model = new Sequential(new Dense(2, inputShape: [3]), scale);
        Assert.Equal(8 + 2, model.ParameterCount);
        model.Compile(Loss.MeanSquaredError, new SGD(0.1));
        model.Fit(Tensor.Ones(4, 3), Tensor.Full([4, 2], 3f), batchSize: 4, epochs: 2, verbose: 0);
        Assert.NotEqual([1f, 1f], scale.Factor!.Value.ToArray());
        var ex = Assert.Throws<ArgumentException>(() => new Scale().Adopt(new Weight(scale, "stolen", [2], Initializers.Initializer.Zeros)));
        Assert.Contains("belongs to layer", ex.Message);
        Assert.Throws<ArgumentException>(() => scale.Adopt(new Weight(scale, "scale", [2], Initializers.Initializer.Zeros)));   // the name is taken
    }
}
