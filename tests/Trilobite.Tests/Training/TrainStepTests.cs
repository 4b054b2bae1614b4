using Trilobite.Layers;

namespace Trilobite.Tests.Training;

/// <summary>The training step is Keras's train_step: overridable, and callable on one batch (TrainOnBatch / TestOnBatch).</summary>
public class TrainStepTests
{
    /// <summary>A model whose step counts itself and whose loss adds a penalty on the output's size.</summary>
    private sealed class CustomModel(SymbolicTensor input, SymbolicTensor output) : Model(input, output)
    {
        public int Steps { get; private set; }

        protected override Tensor TrainStep(Tensor x, Tensor y, Tensor? sampleWeight)
        {
            Steps++;
            return base.TrainStep(x, y, sampleWeight);
        }

        protected override Tensor ComputeLoss(Tensor prediction, Tensor target, Tensor? sampleWeight, bool training) =>
            base.ComputeLoss(prediction, target, sampleWeight, training) + (prediction * prediction).Mean() * 10f;
    }

    private static CustomModel Build()
    {
        RandomSeed.Set(2);
        var input = Input.Of([3]);
        return new CustomModel(input, new Dense(2).Call(input));
    }

    [Fact]
    public void FitRunsTheOverriddenStepAndItsLoss()
    {
        var model = Build();
        model.Compile(Loss.MeanSquaredError, new SGD(0.05));
        var x = Tensor.Uniform([12, 3], -1, 1, 1);
        var y = Tensor.Zeros(12, 2);
        double plain = Loss.MeanSquaredError.Compute(model.Predict(x), y).ToArray()[0];
        double custom = model.Evaluate(x, y, 12)["loss"];
        Assert.True(custom > plain * 5, $"the overridden loss ({custom}) adds the output penalty to MSE ({plain})");
        var history = model.Fit(x, y, batchSize: 4, epochs: 2, verbose: 0);
        Assert.Equal(6, model.Steps);   // 3 batches × 2 epochs
        Assert.True(history["loss"][1] < history["loss"][0]);
    }

    [Fact]
    public void TrainOnBatchReportsThatBatchAndUpdatesTheWeights()
    {
        var model = Build();
        model.Compile(Loss.MeanSquaredError, new SGD(0.1), [Metric.Accuracy]);
        var x = Tensor.Uniform([5, 3], -1, 1, 4);
        var y = Tensor.Uniform([5, 2], 0, 1, 5);
        var before = model.GetWeights();
        var test = model.TestOnBatch(x, y);
        var train = model.TrainOnBatch(x, y);
        Assert.Equal(test["loss"], train["loss"], 6);   // the loss before the update
        Assert.Equal(test["accuracy"], train["accuracy"]);
        Assert.NotEqual(before[0], model.GetWeights()[0]);
        Assert.True(model.TestOnBatch(x, y)["loss"] < test["loss"]);
        Assert.Equal(1, model.Steps);
        var notCompiled = new Sequential(new Dense(1, inputShape: [3]));
        Assert.Contains("not compiled", Assert.Throws<InvalidOperationException>(() => notCompiled.TrainOnBatch(x, y)).Message);
    }

    /// <summary>Keeps the logs of every batch without reading them, then reads one later.</summary>
    private sealed class Hoarder : Callback
    {
        public List<IReadOnlyDictionary<string, double>> Kept { get; } = [];
        public List<double> ReadInTime { get; } = [];

        public override void OnBatchEnd(int batch, IReadOnlyDictionary<string, double> logs)
        {
            if (batch == 0) ReadInTime.Add(logs["loss"]);   // read during its own batch: fine, and kept
            Kept.Add(logs);
        }
    }

    [Fact]
    public void BatchLogsAreReadDuringTheirBatchOrRefusedAfterIt()
    {
        var model = Build();
        model.Compile(Loss.MeanSquaredError, new SGD(0.05));
        var hoarder = new Hoarder();
        model.Fit(Tensor.Uniform([8, 3], -1, 1, 1), Tensor.Zeros(8, 2), batchSize: 4, epochs: 1, verbose: 0, callbacks: [hoarder]);
        Assert.Equal(hoarder.ReadInTime[0], hoarder.Kept[0]["loss"]);   // read in time, so it keeps its values
        var ex = Assert.Throws<InvalidOperationException>(() => hoarder.Kept[1]["loss"]);
        Assert.Equal("The logs of batch 1 were read after the batch ended; copy them inside OnBatchEnd to keep them.", ex.Message);
    }

    [Fact]
    public void AnEmptyBatchAddsNothingToTheMetrics()
    {
        var accuracy = Metric.Accuracy;
        accuracy.Update(Tensor.Zeros([0, 3], Device.Cpu), Tensor.Zeros([0, 3], Device.Cpu));
        Assert.Equal(0, accuracy.Result);
        Assert.Throws<ArgumentOutOfRangeException>(() => new SGD(0.1, momentum: -0.5));
        Assert.Throws<ArgumentOutOfRangeException>(() => new RMSprop(momentum: 1.5));
    }

    [Fact]
    public void SampleWeightsOfZeroLeaveSamplesOutOfTraining()
    {
        // With mean_with_sample_weight, weights (1, 1, 0, 0) train exactly as the first two samples alone.
        var x = Tensor.Uniform([4, 3], -1, 1, 7);
        var y = Tensor.Uniform([4, 2], 0, 1, 8);
        Model Make()
        {
            RandomSeed.Set(2);
            var m = new Sequential(new Dense(2, inputShape: [3]));
            m.Compile(new Losses.MeanSquaredError { Reduction = LossReduction.MeanWithSampleWeight }, new SGD(0.1));
            return m;
        }
        var weighted = Make();
        var alone = Make();
        var h1 = weighted.Fit(x, y, batchSize: 4, epochs: 3, verbose: 0, shuffle: false, sampleWeight: Tensor.FromArray([1, 1, 0, 0], 4));
        var h2 = alone.Fit(x.Slice(0, 2), y.Slice(0, 2), batchSize: 4, epochs: 3, verbose: 0, shuffle: false);
        for (int e = 0; e < 3; e++) Assert.Equal(h2["loss"][e], h1["loss"][e], 6);
        Assert.Equal(alone.GetWeights()[0], weighted.GetWeights()[0]);
        // Evaluate takes weights too, and a validation Dataset carries its own.
        Assert.Equal(alone.Evaluate(x.Slice(0, 2), y.Slice(0, 2))["loss"], weighted.Evaluate(x, y, 4, Tensor.FromArray([2, 2, 0, 0], 4))["loss"], 6);
        var ex = Assert.Throws<ArgumentException>(() => weighted.Fit(x, y, epochs: 1, verbose: 0, sampleWeight: Tensor.Ones(3)));
        Assert.Contains("sample weights of shape (3,)", ex.Message);
    }
}
