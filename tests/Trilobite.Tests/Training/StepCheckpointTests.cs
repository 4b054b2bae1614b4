using Trilobite.Layers;
using Trilobite.Training;

namespace Trilobite.Tests.Training;

/// <summary>
/// Checkpoints saved every few steps (ModelCheckpoint's saveEverySteps) resume inside an epoch and end with the weights,
/// optimizer state and epoch losses of a run never stopped: dropout, shuffling, augmentation, Adam and the metrics included.
/// </summary>
public class StepCheckpointTests
{
    private const int Samples = 40, BatchSize = 4, Epochs = 3;   // 10 steps per epoch

    private static Model Net()
    {
        RandomSeed.Set(7);
        var model = new Sequential(
            new Conv2D(4, 3, padding: Padding.Same, activation: Activation.ReLU, inputShape: [8, 8, 1]),
            new BatchNormalization(),
            new MaxPooling2D(2),
            new Flatten(),
            new Dropout(0.3),
            new Dense(3, activation: Activation.Softmax));
        model.Compile(Loss.CategoricalCrossentropy, new Adam(0.01), [Metric.Accuracy]);
        return model;
    }

    private static (Tensor X, Tensor Y) Data()
    {
        var x = Tensor.Uniform([Samples, 8, 8, 1], 0, 1, 11);
        var y = Tensor.Zeros(Samples, 3);
        for (int i = 0; i < Samples; i++) y[i, i % 3] = 1;
        return (x, y);
    }

    /// <summary>Augmented shuffled batches, so the skipped batches must advance the source's generators as the lost run did.</summary>
    private static IBatchSource Source(Tensor x, Tensor y) =>
        new AugmentedBatchSource(new ArrayBatchSource(x, y, BatchSize, shuffle: true, seed: 3), maxShift: 1, horizontalFlip: true, seed: 5);

    /// <summary>Ends the process "by kill -9" after a given global step: the exception leaves Fit with the last checkpoint on disk.</summary>
    private sealed class Crash(int afterGlobalStep) : Callback
    {
        private int _steps;
        public override void OnBatchEnd(int batch, IReadOnlyDictionary<string, double> logs)
        {
            if (++_steps == afterGlobalStep) throw new OperationCanceledException("killed");
        }
    }

    [Theory]
    [InlineData(7, 3, 0, 6)]     // killed after step 7 of epoch 1: resumes after its step 6
    [InlineData(10, 3, 0, 9)]    // killed after epoch 1's last batch, before its epoch-end save: resumes after step 9
    [InlineData(23, 5, 2, 0)]    // killed after step 3 of epoch 3: resumes at the end of epoch 2
    [InlineData(20, 5, 1, 10)]   // killed after epoch 2's last batch, saved there: resumes with no batch left but the epoch's end
    [InlineData(12, 1, 1, 2)]    // a checkpoint after every step
    [InlineData(28, 4, 2, 8)]    // inside the last epoch: its loss and accuracy continue from the checkpoint's totals
    public void ResumingAStepCheckpointEndsWithTheUninterruptedWeightsAndLoss(int killAfter, int every, int savedEpochs, int savedSteps)
    {
        var (x, y) = Data();
        var straight = Net();
        var expected = straight.Fit(Source(x, y), new FitOptions { Epochs = Epochs, Verbose = 0 });

        string path = Path.Combine(Path.GetTempPath(), $"trilobite-step-{Guid.NewGuid():N}.trilo");
        try
        {
            var interrupted = Net();
            Assert.Throws<OperationCanceledException>(() => interrupted.Fit(Source(x, y), new FitOptions
            {
                Epochs = Epochs, Verbose = 0, Callbacks = [new ModelCheckpoint(path, saveEverySteps: every), new Crash(killAfter)],
            }));
            var resumed = Model.Load(path);
            Assert.Equal((savedEpochs, savedSteps), (resumed.CompletedEpochs, resumed.CompletedSteps));
            var rest = resumed.Fit(Source(x, y), new FitOptions
            {
                Epochs = Epochs, InitialEpoch = resumed.CompletedEpochs, InitialStep = resumed.CompletedSteps, Verbose = 0,
            });
            Assert.Equal(expected["loss"].Skip(savedEpochs), rest["loss"]);
            Assert.Equal(expected["accuracy"].Skip(savedEpochs), rest["accuracy"]);
            Assert.Equal(Epochs, resumed.CompletedEpochs);
            Assert.Equal(0, resumed.CompletedSteps);
            foreach (var (a, b) in straight.Weights.Zip(resumed.Weights)) Assert.Equal(a.Value.ToArray(), b.Value.ToArray());
            Assert.Equal(straight.Optimizer!.Iterations, resumed.Optimizer!.Iterations);
        }
        finally { File.Delete(path); }
    }

    [Fact]
    public void AModelStoppedInsideAnEpochAndSavedLaterStillResumesExactly()
    {
        var (x, y) = Data();
        var straight = Net();
        straight.Fit(Source(x, y), new FitOptions { Epochs = 2, Verbose = 0 });
        var stopped = Net();
        Assert.Throws<OperationCanceledException>(() => stopped.Fit(Source(x, y), new FitOptions { Epochs = 2, Verbose = 0, Callbacks = [new Crash(14)] }));
        Assert.Equal((1, 4), (stopped.CompletedEpochs, stopped.CompletedSteps));
        stopped.Predict(x);   // inference between the stop and the save changes nothing saved
        string path = Path.Combine(Path.GetTempPath(), $"trilobite-step-{Guid.NewGuid():N}.trilo");
        try
        {
            stopped.Save(path);
            var resumed = Model.Load(path);
            var rest = resumed.Fit(Source(x, y), new FitOptions { Epochs = 2, InitialEpoch = 1, InitialStep = 4, Verbose = 0 });
            foreach (var (a, b) in straight.Weights.Zip(resumed.Weights)) Assert.Equal(a.Value.ToArray(), b.Value.ToArray());
        }
        finally { File.Delete(path); }
    }

    [Fact]
    public void ResumingWithAnotherBatchSizeIsRefusedNamingBoth()
    {
        var (x, y) = Data();
        var stopped = Net();
        Assert.Throws<OperationCanceledException>(() => stopped.Fit(Source(x, y), new FitOptions { Epochs = 2, Verbose = 0, Callbacks = [new Crash(4)] }));
        var other = new ArrayBatchSource(x, y, batchSize: 8, shuffle: true, seed: 3);
        var e = Assert.Throws<ArgumentException>(() => stopped.Fit(other, new FitOptions { Epochs = 2, InitialStep = 4, Verbose = 0 }));
        Assert.Contains("10 batches", e.Message);
        Assert.Contains("has 5 per epoch", e.Message);
    }

    [Theory]
    [InlineData("steps", "'epoch_progress.steps' must be a count of steps, 1 or more")]
    [InlineData("epoch", "'epoch_progress.epoch' must be 1, the 0-based epoch after the 1 completed")]
    [InlineData("accuracy", "'epoch_progress.metric_totals.accuracy' holds 3 numbers, but the metric keeps 2")]
    public void ADamagedStepCheckpointIsRefusedNamingTheField(string damage, string expected)
    {
        var (x, y) = Data();
        var stopped = Net();
        Assert.Throws<OperationCanceledException>(() => stopped.Fit(Source(x, y), new FitOptions { Epochs = 2, Verbose = 0, Callbacks = [new Crash(14)] }));
        string path = Path.Combine(Path.GetTempPath(), $"trilobite-step-{Guid.NewGuid():N}.trilo");
        try
        {
            stopped.Save(path);
            Serialization.ArchiveEditing.EditConfig(path, config =>
            {
                var progress = config["training"]!["epoch_progress"]!.AsObject();
                if (damage == "steps") progress["steps"] = 0;
                else if (damage == "epoch") progress["epoch"] = 2;
                else progress["metric_totals"]!["accuracy"]!.AsArray().Insert(0, 1.0);
            });
            var e = Assert.Throws<InvalidDataException>(() => Model.Load(path));
            Assert.Contains(expected, e.Message);
        }
        finally { File.Delete(path); }
    }

    [Fact]
    public void SaveEveryStepsCannotKeepTheBestEpoch() =>
        Assert.Throws<ArgumentException>(() => new ModelCheckpoint("m.trilo", saveBestOnly: true, saveEverySteps: 10));
}
