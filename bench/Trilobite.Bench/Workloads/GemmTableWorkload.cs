namespace Trilobite.Bench.Workloads;

/// <summary>
/// <c>gemm-table [--rounds R]</c>: GFLOP/s and % of the FMA peak for 256…2048 cubes on 1 and 2
/// threads, as a Markdown table for docs/PERFORMANCE.md. All cases, the peak loop included, are
/// interleaved round by round and each reports its median, so a burst of load from the host
/// on the second core spoils one sample of every case rather than all samples of one case.
/// </summary>
public sealed class GemmTableWorkload : IWorkload
{
    private static readonly int[] Sizes = [256, 512, 1024, 2048];
    private static readonly int[] ThreadCounts = [1, 2];

    public string Description => "GEMM table: 256–2048 cubes × 1, 2 threads, GFLOP/s and % of measured FMA peak";

    public void Run(BenchOptions options)
    {
        int rounds = options.Int("rounds", 7);
        var problems = Sizes.ToDictionary(n => n, n => new GemmProblem(n));
        var gemm = new Dictionary<(int N, int T), List<double>>();
        var peak = ThreadCounts.ToDictionary(t => t, _ => new List<double>());

        foreach (int t in ThreadCounts)   // warm-up every case once
        {
            FmaPeak.GFlops(t);
            foreach (var p in problems.Values) { Measure.UseThreads(t); p.Run(); p.Run(); }
        }
        for (int r = 0; r < rounds; r++)
            foreach (int t in ThreadCounts)
            {
                peak[t].Add(FmaPeak.GFlops(t));
                Measure.UseThreads(t);
                foreach (var (n, p) in problems)
                {
                    if (!gemm.TryGetValue((n, t), out var list)) gemm[(n, t)] = list = [];
                    list.Add(p.GFlops(Measure.Seconds(p.Run, minSeconds: 0.05)));
                }
            }

        Console.WriteLine($"| size | threads | GFLOP/s | FMA peak GFLOP/s | % of peak |");
        Console.WriteLine($"|-----:|--------:|--------:|-----------------:|----------:|");
        double last = 0;
        foreach (int n in Sizes)
            foreach (int t in ThreadCounts)
            {
                double g = Measure.Median(gemm[(n, t)]), pk = Measure.Median(peak[t]);
                Console.WriteLine($"| {n} | {t} | {g:F1} | {pk:F1} | {100 * g / pk:F0} % |");
                last = g;
            }
        Console.WriteLine($"(median of {rounds} interleaved rounds)");
        Console.WriteLine($"GFLOP/s: {last:F1}");
    }
}
