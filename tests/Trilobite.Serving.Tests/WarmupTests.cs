using Trilobite.Layers;

namespace Trilobite.Serving.Tests;

/// <summary>The server runs its warm-up passes before it listens, at the batch sizes it will serve, and none when asked.</summary>
public class WarmupTests
{
    /// <summary>Passes its input through and records each batch size it was run on.</summary>
    private sealed class BatchRecorder() : Layer(inputShape: [4])
    {
        public List<int> Batches { get; } = [];

        protected override int[] ComputeOutputShape(int[][] inputShapes) => inputShapes[0];

        public override Tensor Forward(IReadOnlyList<Tensor> inputs, bool training)
        {
            lock (Batches) Batches.Add(inputs[0].Dim(0));
            return inputs[0];
        }
    }

    private static (Model Model, BatchRecorder Recorder) Recorded()
    {
        RandomSeed.Set(5);
        var recorder = new BatchRecorder();
        return (new Sequential(recorder, new Dense(3, activation: Activation.Softmax)), recorder);
    }

    [Fact]
    public async Task Warm_up_passes_alternate_batch_1_and_the_largest_batch_before_the_first_request()
    {
        var (model, recorder) = Recorded();
        await using var server = await InferenceServer.StartAsync(model, new ServeOptions { Port = 0, MaxBatch = 8, WarmupPasses = 5 });
        Assert.Equal([1, 8, 1, 8, 1], recorder.Batches);
    }

    [Fact]
    public async Task No_warm_up_when_asked_and_a_bad_count_is_refused_with_the_option_name()
    {
        var (model, recorder) = Recorded();
        await using (await InferenceServer.StartAsync(model, new ServeOptions { Port = 0, WarmupPasses = 0 }))
            Assert.Empty(recorder.Batches);
        var e = await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => InferenceServer.StartAsync(model, new ServeOptions { Port = 0, WarmupPasses = -1 }));
        Assert.Contains("--warmup -1", e.Message);
    }
}
