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
