using Trilobite.Layers;
using Trilobite.Training;

namespace Trilobite.Tests.Training;

/// <summary>Fit on an <see cref="IBatchSource"/> takes exactly the steps Fit on tensors takes.</summary>
public class BatchSourceFitTests
{
    private static (Tensor X, Tensor Y) Data()
    {
        var x = Tensor.Uniform([50, 4, 4, 1], 0, 1, 3);
        var y = Tensor.Zeros(50, 2);
        for (int i = 0; i < 50; i++) y[i, x[i, 0, 0, 0] > 0.5f ? 1 : 0] = 1;
        return (x, y);
    }

    private static Model Net()
    {
        RandomSeed.Set(4);
        var model = new Sequential(
            new Conv2D(3, 3, padding: Padding.Same, inputShape: [4, 4, 1]),
            new BatchNormalization(),
            new ActivationLayer(Activation.ReLU),
            new Dropout(0.2),
            new Flatten(),
            new Dense(2, activation: Activation.Softmax));
        model.Compile(Loss.CategoricalCrossentropy, new Adam(0.01), [Metric.Accuracy]);
        return model;
    }

    [Fact]
    public void StreamingFitMatchesTensorFitBitForBit()
    {
        var (x, y) = Data();
        var a = Net();
        var ha = a.Fit(x, y, new FitOptions { BatchSize = 8, Epochs = 2, Shuffle = false, Verbose = 0 });
        var b = Net();
        var hb = b.Fit(new ArrayBatchSource(x, y, batchSize: 8, shuffle: false), new FitOptions { Epochs = 2, Verbose = 0 });
        Assert.Equal(ha["loss"], hb["loss"]);
        Assert.Equal(a.GetWeights(), b.GetWeights());
        Assert.Equal(2, b.CompletedEpochs);
    }

    [Fact]
    public void StreamingFitValidatesOnASourceAndEvaluates()
    {
        var (x, y) = Data();
        var model = Net();
        var output = new StringWriter();
        var validation = new ArrayBatchSource(x, y, batchSize: 16, shuffle: false);
        var history = model.Fit(new ArrayBatchSource(x, y, batchSize: 10, seed: 1), new FitOptions { Epochs = 2, Verbose = 2, Output = output }, validation);
        Assert.Equal(2, history["val_accuracy"].Count);
        Assert.Contains("5/5", output.ToString());
        var direct = model.Evaluate(x, y, batchSize: 16);
        var streamed = model.Evaluate(validation);
        Assert.Equal(direct["loss"], streamed["loss"], 6);
        Assert.Equal(direct["accuracy"], streamed["accuracy"]);
    }

    [Fact]
    public void ShuffledSourceVisitsEverySampleOncePerEpochAndDependsOnTheEpoch()
    {
        var x = Tensor.FromArray(Enumerable.Range(0, 10).Select(i => (float)i).ToArray(), 10, 1);
        var source = new ArrayBatchSource(x, x, batchSize: 3, seed: 2);
        Assert.Equal(4, source.BatchesPerEpoch);
        float[] Epoch(int e) => source.Batches(e).SelectMany(b => b.X.ToArray()).ToArray();
        Assert.Equal(Enumerable.Range(0, 10).Select(i => (float)i), Epoch(0).Order());
        Assert.Equal(Epoch(1), Epoch(1));
        Assert.NotEqual(Epoch(0), Epoch(1));
    }
}
