using Trilobite.Zoo;

namespace Trilobite.Bench.Workloads;

/// <summary>The default U-Net (base 16, depth 4) on random 128×128×1 scenes with 11 mask classes, batch 16: the segmentation peer comparison.</summary>
internal static class UNetBench
{
    public const int Batch = 16;

    public static (Model Model, Tensor X, Tensor Y) Create(int batches)
    {
        RandomSeed.Set(1);
        var model = UNet.Build([128, 128, 1], 11, baseFilters: 16, depth: 4);
        model.Compile(Loss.SparseCategoricalCrossentropy, new Adam());
        var x = Tensor.Uniform([Batch * batches, 128, 128, 1], 0, 1, 2);
        var y = Tensor.Zeros(Batch * batches, 128, 128);
        float[] labels = y.ToArray();
        for (int i = 0; i < labels.Length; i++) labels[i] = (int)((long)i * 7919 % 11);
        return (model, x, Tensor.FromArray(labels, y.ShapeArray));
    }
}

/// <summary><c>unet-train [--threads T] [--seconds 20]</c>: U-Net training steps (batch 16, Adam, per-pixel sparse cross-entropy), images/s.</summary>
public sealed class UNetTrainWorkload : IWorkload
{
    public string Description => "U-Net (base 16, depth 4) training on 128×128×1, batch 16, Adam: images/s";

    public void Run(BenchOptions options)
    {
        Measure.UseThreads(options.Threads);
        int seconds = options.Int("seconds", 20);
        var (model, x, y) = UNetBench.Create(batches: 2);
        Measure.TrainThroughput(model, x, y, UNetBench.Batch, seconds, profile: options.String("profile") != null);
    }
}

/// <summary><c>unet-infer [--threads T]</c>: U-Net inference (softmax probabilities per pixel) at batch 16, images/s.</summary>
public sealed class UNetInferWorkload : IWorkload
{
    public string Description => "U-Net (base 16, depth 4) inference on 128×128×1 at batch 16: images/s";

    public void Run(BenchOptions options)
    {
        Measure.UseThreads(options.Threads);
        var (model, x, _) = UNetBench.Create(batches: 1);
        Measure.PredictThroughput(model, x);
    }
}
