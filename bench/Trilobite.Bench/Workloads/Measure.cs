using System.Diagnostics;
using Trilobite.Kernels;

namespace Trilobite.Bench.Workloads;

/// <summary>Stopwatch timing helpers shared by the workloads.</summary>
public static class Measure
{
    /// <summary>Seconds for one call of <paramref name="body"/>, averaged over enough calls to
    /// last at least <paramref name="minSeconds"/> (small problems are timed in batches).</summary>
    public static double Seconds(Action body, double minSeconds = 0.02)
    {
        int calls = 0;
        var sw = Stopwatch.StartNew();
        do { body(); calls++; } while (sw.Elapsed.TotalSeconds < minSeconds);
        return sw.Elapsed.TotalSeconds / calls;
    }

    /// <summary>Like <see cref="Seconds"/> but in process CPU time, which a busy neighbour's
    /// preemptions do not inflate: for single-thread tuning on a shared machine.</summary>
    public static double CpuSeconds(Action body, double minSeconds = 0.02)
    {
        int calls = 0;
        var process = System.Diagnostics.Process.GetCurrentProcess();
        process.Refresh();
        TimeSpan start = process.TotalProcessorTime;
        var sw = Stopwatch.StartNew();
        do { body(); calls++; } while (sw.Elapsed.TotalSeconds < minSeconds);
        process.Refresh();
        return (process.TotalProcessorTime - start).TotalSeconds / calls;
    }

    /// <summary>
    /// Prints "images/s: N": the median over five rounds of <paramref name="model"/> predicting <paramref name="x"/> (one
    /// batch), each round at least a second, after two seconds of warm-up (tiered JIT).
    /// </summary>
    public static void PredictThroughput(Model model, Tensor x)
    {
        int batch = x.Dim(0);
        var warmUp = Stopwatch.StartNew();
        while (warmUp.Elapsed.TotalSeconds < 2) model.Predict(x, batch);
        var samples = new List<double>();
        for (int r = 0; r < 5; r++) samples.Add(batch / Seconds(() => model.Predict(x, batch), 1.0));
        Console.WriteLine($"images/s: {Median(samples):F1}");
    }

    /// <summary>
    /// Prints "steps: N" and "images/s: N": Fit passes over (<paramref name="x"/>, <paramref name="y"/>) in batches of
    /// <paramref name="batch"/> for <paramref name="seconds"/>, after one pass of warm-up; with <paramref name="profile"/>,
    /// the time per step of each op and layer first.
    /// </summary>
    public static void TrainThroughput(Model model, Tensor x, Tensor y, int batch, int seconds, bool profile = false)
    {
        model.Fit(x, y, batchSize: batch, epochs: 1, verbose: 0);     // warm-up: JIT, pooled buffers
        int steps = 0, perPass = x.Dim(0) / batch;
        Trilobite.Autograd.OpProfiler.Enabled = profile;
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed.TotalSeconds < seconds)
        {
            model.Fit(x, y, batchSize: batch, epochs: 1, verbose: 0, shuffle: false);
            steps += perPass;
        }
        if (profile)
            foreach (var (key, ms, calls) in Trilobite.Autograd.OpProfiler.Report())
                Console.WriteLine($"  {key,-56} {ms / steps,8:F2} ms/step  ({calls} calls)");
        Console.WriteLine($"steps: {steps}, peak RSS: {Process.GetCurrentProcess().PeakWorkingSet64 / 1048576.0:F0} MiB");
        Console.WriteLine($"images/s: {steps * batch / clock.Elapsed.TotalSeconds:F1}");
    }

    public static double Median(List<double> xs)
    {
        var sorted = xs.Order().ToArray();
        int h = sorted.Length / 2;
        return sorted.Length % 2 == 1 ? sorted[h] : (sorted[h - 1] + sorted[h]) / 2;
    }

    /// <summary>Sets <see cref="KernelThreads.Count"/> (the pool is rebuilt only when it changes).</summary>
    public static void UseThreads(int threads) => KernelThreads.Count = threads;

    public static float[] RandomFloats(int length, int seed)
    {
        var rng = new Random(seed);
        var x = new float[length];
        for (int i = 0; i < length; i++) x[i] = (float)(rng.NextDouble() * 2 - 1);
        return x;
    }
}
