namespace Trilobite.Bench.Workloads;

/// <summary><c>peak [--threads N]</c>: FP32 FMA throughput for 1..N threads (median of 7).</summary>
public sealed class PeakWorkload : IWorkload
{
    public string Description => "FP32 FMA-throughput loop (Vector256), per thread count: the GEMM's 100 %";

    public void Run(BenchOptions options)
    {
        double last = 0;
        for (int t = 1; t <= options.Threads; t++)
        {
            FmaPeak.GFlops(t);   // warm-up: JIT and worker wake-up
            var samples = new List<double>();
            for (int r = 0; r < 7; r++) samples.Add(FmaPeak.GFlops(t));
            last = Measure.Median(samples);
            Console.WriteLine($"threads {t}: {last:F1} GFLOP/s ({last / t:F1} per thread)");
        }
        Console.WriteLine($"GFLOP/s: {last:F1}");
    }
}
