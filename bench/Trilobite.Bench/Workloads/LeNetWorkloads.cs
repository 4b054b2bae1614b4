using System.Diagnostics;
using Trilobite.Autograd;
using Trilobite.Zoo;

namespace Trilobite.Bench.Workloads;

/// <summary>The lecture's LeNet-inspired CNN on random MNIST-shaped data: the model every peer comparison uses.</summary>
internal static class LeNetBench
{
    public static (Model Model, Tensor X, Tensor Y) Create(int batch, int batches = 4, Func<Model>? build = null)
    {
        RandomSeed.Set(1);
        var model = (build ?? (() => LeNetKeras.Build()))();
        model.Compile(Loss.CategoricalCrossentropy, new Adam(), [Metric.Accuracy]);
        var x = Tensor.Uniform([batch * batches, 28, 28, 1], 0, 1, 2);
        var y = Tensor.Zeros(batch * batches, 10);
        for (int i = 0; i < y.Dim(0); i++) y[i, i % 10] = 1;
        return (model, x, y);
    }
}

/// <summary>
/// <c>lenet-train [--threads T] [--batch 128] [--seconds 20] [--profile]</c>: training throughput (Adam, dropout on), images/s;
/// <c>smallresnet-train</c> the same for the small ResNet on 28×28×1.
/// </summary>
public sealed class TrainThroughputWorkload(string description = "LeNet-inspired CNN training (batch 128, Adam, dropout): images/s", Func<Model>? build = null) : IWorkload
{
    public string Description => description;

    public void Run(BenchOptions options)
    {
        Measure.UseThreads(options.Threads);
        int batch = options.Int("batch", 128), seconds = options.Int("seconds", 20);
        var (model, x, y) = LeNetBench.Create(batch, build: build);
        model.Fit(x, y, batchSize: batch, epochs: 1, verbose: 0);   // warm-up: JIT, pooled buffers
        long allocatedBefore = GC.GetTotalAllocatedBytes(precise: true);
        int steps = 0;
        var process = Process.GetCurrentProcess();
        var cpuBefore = process.TotalProcessorTime;
        var clock = Stopwatch.StartNew();
        OpProfiler.Enabled = options.String("profile") != null;
        while (clock.Elapsed.TotalSeconds < seconds)
        {
            model.Fit(x, y, batchSize: batch, epochs: 1, verbose: 0, shuffle: false);
            steps += x.Dim(0) / batch;
        }
        double elapsed = clock.Elapsed.TotalSeconds;
        process.Refresh();
        double cpu = (process.TotalProcessorTime - cpuBefore).TotalSeconds;
        long allocated = GC.GetTotalAllocatedBytes(precise: true) - allocatedBefore;
        if (OpProfiler.Enabled)
            foreach (var (key, ms, calls) in OpProfiler.Report())
                Console.WriteLine($"  {key,-32} {ms / steps,8:F2} ms/step  ({calls} calls)");
        Console.WriteLine($"steps: {steps}, managed allocation per step: {allocated / steps / 1024.0:F1} KiB, peak RSS: {Process.GetCurrentProcess().PeakWorkingSet64 / 1048576.0:F0} MiB");
        Console.WriteLine($"CPU time per step: {cpu / steps * 1000:F1} ms (wall {elapsed / steps * 1000:F1} ms)");
        Console.WriteLine($"images/s: {steps * batch / elapsed:F1}");
    }
}

/// <summary><c>lenet-infer [--threads T] [--batch 128] [--profile 1]</c>: inference throughput, images/s; with --profile, the time of each op per image.</summary>
public sealed class LeNetInferWorkload : IWorkload
{
    public string Description => "LeNet-inspired CNN inference at batch 128: images/s";

    public void Run(BenchOptions options)
    {
        Measure.UseThreads(options.Threads);
        int batch = options.Int("batch", 128);
        var (model, x, _) = LeNetBench.Create(batch);
        var one = x.Slice(0, batch);
        var warmUp = Stopwatch.StartNew();
        while (warmUp.Elapsed.TotalSeconds < 2) model.Predict(one, batch);   // tiered JIT: see lenet-latency
        var samples = new List<double>();
        for (int r = 0; r < 15; r++) samples.Add(batch / Measure.Seconds(() => model.Predict(one, batch), 0.2));
        if (options.String("profile") != null)
        {
            OpProfiler.Enabled = true;
            int passes = Math.Max(1, 3200 / batch);
            for (int i = 0; i < passes; i++) model.Predict(one, batch);
            foreach (var (key, ms, calls) in OpProfiler.Report()) Console.WriteLine($"  {key,-32} {ms / (passes * batch),8:F4} ms/image");
        }
        Console.WriteLine($"images/s: {Measure.Median(samples):F1}");
    }
}

/// <summary><c>lenet-latency [--threads T]</c>: one image through the network, median and p90 milliseconds.</summary>
public sealed class LeNetLatencyWorkload : IWorkload
{
    public string Description => "LeNet-inspired CNN single-image latency: ms (median; p90 shown)";

    public void Run(BenchOptions options)
    {
        Measure.UseThreads(options.Threads);
        var (model, x, _) = LeNetBench.Create(1);
        var one = x.Slice(0, 1);
        // Warm up by time, not by count: .NET's tiered JIT recompiles hot methods with full optimisation
        // only after ~30 calls and a background delay; 50 calls left the first timed calls at tier 0.
        var warmUp = Stopwatch.StartNew();
        while (warmUp.Elapsed.TotalSeconds < 2) model.Predict(one, 1);
        var times = new List<double>();
        for (int i = 0; i < 500; i++)
        {
            long start = Stopwatch.GetTimestamp();
            model.Predict(one, 1);
            times.Add(Stopwatch.GetElapsedTime(start).TotalMilliseconds);
        }
        times.Sort();
        if (options.String("profile") != null)
        {
            OpProfiler.Enabled = true;
            for (int i = 0; i < 200; i++) model.Predict(one, 1);
            foreach (var (key, ms, calls) in OpProfiler.Report()) Console.WriteLine($"  {key,-32} {ms / 200,8:F3} ms/image");
        }
        Console.WriteLine($"p90: {times[(int)(times.Count * 0.9)]:F3} ms");
        Console.WriteLine($"ms: {Measure.Median(times):F3}");
    }
}
