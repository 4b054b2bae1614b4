using Trilobite.Data;
using Trilobite.Layers;
using Trilobite.Zoo;

namespace Trilobite.Tests.Training;

public class FitTests
{
    private static Dataset Spirals(int n, int seed)
    {
        var random = new Random(seed);
        var x = Tensor.Zeros(n, 2);
        var y = Tensor.Zeros(n, 2);
        for (int i = 0; i < n; i++)
        {
            int cls = i % 2;
            double r = random.NextDouble() * 5, t = 1.75 * r + cls * Math.PI;
            x[i, 0] = (float)(r * Math.Cos(t) / 5 + random.NextDouble() * 0.02);
            x[i, 1] = (float)(r * Math.Sin(t) / 5 + random.NextDouble() * 0.02);
            y[i, cls] = 1;
        }
        return new Dataset(x, y);
    }

    private static Model DenseNet(int seed)
    {
        RandomSeed.Set(seed);
        var model = new Sequential(
            new Dense(32, activation: Activation.ReLU, inputShape: [2]),
            new Dense(32, activation: Activation.ReLU),
            new Dropout(0.1),
            new Dense(2, activation: Activation.Softmax));
        model.Compile(Loss.CategoricalCrossentropy, new Adam(0.01), [Metric.Accuracy]);
        return model;
    }

    [Theory]
    [MemberData(nameof(DefaultDevice.Both), MemberType = typeof(DefaultDevice))]
    public void SameSeedGivesBitIdenticalTraining(string device)
    {
        using var _ = DefaultDevice.Use(device);
        var data = Spirals(200, 1);
        var a = DenseNet(3);
        var b = DenseNet(3);
        var ha = a.Fit(data.X, data.Y, batchSize: 16, epochs: 3, verbose: 0);
        var hb = b.Fit(data.X, data.Y, batchSize: 16, epochs: 3, verbose: 0);
        Assert.Equal(ha["loss"], hb["loss"]);
        for (int i = 0; i < a.Weights.Count; i++) Assert.Equal(a.Weights[i].Value.ToArray(), b.Weights[i].Value.ToArray());
        var c = DenseNet(4);
        Assert.NotEqual(ha["loss"], c.Fit(data.X, data.Y, batchSize: 16, epochs: 3, verbose: 0)["loss"]);
    }

    [Theory]
    [MemberData(nameof(DefaultDevice.Both), MemberType = typeof(DefaultDevice))]
    public void LearnsTheSpiralAndReportsHeldOutAccuracy(string device)
    {
        using var _ = DefaultDevice.Use(device);
        var train = Spirals(400, 1);
        var test = Spirals(200, 2);
        var model = DenseNet(1);
        var history = model.Fit(train.X, train.Y, batchSize: 20, epochs: 150, verbose: 0, validationData: test);
        Assert.True(history["loss"][^1] < history["loss"][0] / 2, $"loss went from {history["loss"][0]} to {history["loss"][^1]}");
        Assert.True(history["val_accuracy"][^1] > 0.85, $"held-out accuracy {history["val_accuracy"][^1]}");
    }

    [Theory]
    [MemberData(nameof(DefaultDevice.Both), MemberType = typeof(DefaultDevice))]
    public void ProgressLinesFollowKeras(string device)
    {
        using var _ = DefaultDevice.Use(device);
        var data = Spirals(64, 1);
        var model = DenseNet(1);
        var output = new StringWriter();
        model.Fit(data.X, data.Y, new FitOptions { BatchSize = 16, Epochs = 2, ValidationData = data, Output = output });
        var lines = output.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal("Epoch 1/2", lines[0]);
        Assert.Matches(@"^4/4 \[==============================\] - \d+m?s \d+ms/step - loss: \d\.\d{4} - accuracy: \d\.\d{4} - val_loss: \d\.\d{4} - val_accuracy: \d\.\d{4}$", lines[1]);
        Assert.Equal("Epoch 2/2", lines[2]);
    }

    [Theory]
    [MemberData(nameof(DefaultDevice.Both), MemberType = typeof(DefaultDevice))]
    public void EarlyStoppingRestoresBestWeightsAndCsvLoggerWrites(string device)
    {
        using var _ = DefaultDevice.Use(device);
        var data = Spirals(100, 1);
        var model = DenseNet(1);
        string csv = Path.Combine(Path.GetTempPath(), $"trilobite-{Guid.NewGuid():N}.csv");
        var stop = new EarlyStopping("loss", patience: 1, minDelta: 10);   // nothing improves by 10: stops after the 2nd epoch
        var history = model.Fit(data.X, data.Y, batchSize: 10, epochs: 10, verbose: 0, callbacks: [stop, new CSVLogger(csv)]);
        Assert.Equal(2, history.Epochs.Count);
        var rows = File.ReadAllLines(csv);
        Assert.Equal("epoch,loss,accuracy", rows[0]);
        Assert.Equal(3, rows.Length);
        File.Delete(csv);
    }

    [Theory]
    [MemberData(nameof(DefaultDevice.Both), MemberType = typeof(DefaultDevice))]
    public void LearningRateSchedulerAndTerminateOnNaN(string device)
    {
        using var _ = DefaultDevice.Use(device);
        var data = Spirals(40, 1);
        var model = DenseNet(1);
        model.Fit(data.X, data.Y, batchSize: 10, epochs: 3, verbose: 0, callbacks: [new LearningRateScheduler((epoch, lr) => 0.1 / (epoch + 1))]);
        Assert.Equal(0.1 / 3, model.Optimizer!.LearningRate, 9);
        // A diverged model (NaN weights) on clean data: the loss is NaN, and the callback stops after the first epoch.
        // (NaN in the data itself is refused before training: NonFiniteDataTests.)
        var dense = model.Layers.OfType<Trilobite.Layers.Dense>().First();
        dense.SetWeights([.. dense.GetWeights().Select(w => w.Select(_ => float.NaN).ToArray())]);
        var history = model.Fit(data.X, data.Y, batchSize: 10, epochs: 5, verbose: 0, callbacks: [new TerminateOnNaN()]);
        Assert.Single(history.Epochs);
    }

    [Theory]
    [MemberData(nameof(DefaultDevice.Both), MemberType = typeof(DefaultDevice))]
    public void CosineScheduleDecaysFromTheBaseRateTowardsTheMinimum(string device)
    {
        using var _ = DefaultDevice.Use(device);
        var data = Spirals(40, 1);
        var model = DenseNet(1);
        var rates = new List<double>();
        var record = new LearningRateScheduler((_, lr) => { rates.Add(lr); return lr; });
        model.Fit(data.X, data.Y, batchSize: 10, epochs: 4, verbose: 0, callbacks: [LearningRateScheduler.Cosine(0.01, 4, minRate: 0.001), record]);
        // ½(1 + cos(π·e/4)) for e = 0..3: 1, 0.8536, 0.5, 0.1464.
        double[] expected = [0.01, 0.001 + 0.009 * 0.85355339, 0.0055, 0.001 + 0.009 * 0.14644661];
        Assert.Equal(expected.Length, rates.Count);
        for (int e = 0; e < expected.Length; e++) Assert.Equal(expected[e], rates[e], 6);
        Assert.Throws<ArgumentOutOfRangeException>(() => LearningRateScheduler.Cosine(0.01, 0));
    }

    [Theory]
    [MemberData(nameof(DefaultDevice.Both), MemberType = typeof(DefaultDevice))]
    public void ValidationSplitHoldsOutTheTail(string device)
    {
        using var _ = DefaultDevice.Use(device);
        var data = Spirals(100, 1);
        var history = DenseNet(1).Fit(data.X, data.Y, batchSize: 10, epochs: 1, verbose: 0, validationSplit: 0.2);
        Assert.Contains("val_loss", history.Values.Keys);
    }

    [Fact]
    public void LeNetLearnsMnistSampleQuickly()
    {
        var (trainImages, testImages) = Mnist.LoadSample();
        var train = trainImages.Slice(0, 2048).ToDataset();
        var test = testImages.ToDataset();
        RandomSeed.Set(1);
        var model = LeNetKeras.Build();
        model.Compile(Loss.CategoricalCrossentropy, new Adam(), [Metric.Accuracy]);
        model.Fit(train.X, train.Y, batchSize: 32, epochs: 1, verbose: 0);
        double accuracy = model.Evaluate(test.X, test.Y, 256)["accuracy"];
        Assert.True(accuracy > 0.85, $"test accuracy after one epoch on 2,048 images: {accuracy}");
    }
}
