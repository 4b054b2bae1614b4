using System.Diagnostics;
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
        model.Fit(x, y, batchSize: UNetBench.Batch, epochs: 1, verbose: 0);     // warm-up: JIT, pooled buffers
        int steps = 0;
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed.TotalSeconds < seconds)
        {
            model.Fit(x, y, batchSize: UNetBench.Batch, epochs: 1, verbose: 0, shuffle: false);
            steps += 2;
        }
        double elapsed = clock.Elapsed.TotalSeconds;
        Console.WriteLine($"steps: {steps}, peak RSS: {Process.GetCurrentProcess().PeakWorkingSet64 / 1048576.0:F0} MiB");
        Console.WriteLine($"images/s: {steps * UNetBench.Batch / elapsed:F1}");
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
        var warmUp = Stopwatch.StartNew();
        while (warmUp.Elapsed.TotalSeconds < 2) model.Predict(x, UNetBench.Batch);
        var samples = new List<double>();
        for (int r = 0; r < 5; r++) samples.Add(UNetBench.Batch / Measure.Seconds(() => model.Predict(x, UNetBench.Batch), 1.0));
        Console.WriteLine($"images/s: {Measure.Median(samples):F1}");
    }
}
