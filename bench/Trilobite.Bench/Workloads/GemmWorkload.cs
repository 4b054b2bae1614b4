using Trilobite.Kernels;

namespace Trilobite.Bench.Workloads;

/// <summary><c>gemm [--size N] [--threads T] [--reps R] [--trans NN|NT|TN|TT] [--cpu] [--pad P]</c>: C = A·B on N³, median GFLOP/s.</summary>
public sealed class GemmWorkload : IWorkload
{
    public string Description => "Sgemm on an N×N×N cube: --size N (1024) --threads T --reps R (9) --trans NN|NT|TN|TT";

    public void Run(BenchOptions options)
    {
        int n = options.Size(1024), threads = options.Threads, reps = options.Int("reps", 9);
        string trans = (options.String("trans") ?? "NN").ToUpperInvariant();
        var problem = new GemmProblem(n, trans[0] == 'T', trans[1] == 'T', options.Int("pad", 0));
        Measure.UseThreads(threads);
        for (int i = 0; i < 3; i++) problem.Run();   // warm-up: JIT tiers, workspaces, page faults
        var samples = new List<double>();
        bool cpu = options.String("cpu") != null;   // --cpu: CPU time instead of wall time (single thread only)
        for (int r = 0; r < reps; r++)
            samples.Add(problem.GFlops(cpu ? Measure.CpuSeconds(problem.Run, 0.1) : Measure.Seconds(problem.Run)));
        Console.WriteLine($"gemm {trans} {n}³ threads={threads}: min {samples.Min():F1}, max {samples.Max():F1}");
        Console.WriteLine($"GFLOP/s: {Measure.Median(samples):F1}");
    }
}

/// <summary>One square GEMM with random operands, ready to run repeatedly;
/// <paramref name="pad"/> extra floats per row (lda = ldb = ldc = n + pad) move rows off 4 KiB strides.</summary>
public sealed class GemmProblem(int n, bool transA = false, bool transB = false, int pad = 0)
{
    private readonly int _ld = n + pad;
    private readonly float[] _a = Measure.RandomFloats(n * (n + pad), 1);
    private readonly float[] _b = Measure.RandomFloats(n * (n + pad), 2);
    private readonly float[] _c = new float[n * (n + pad)];

    public int N => n;

    public void Run() => Gemm.Sgemm(transA, transB, n, n, n, 1f, _a, _ld, _b, _ld, 0f, _c, _ld);

    public double GFlops(double seconds) => 2.0 * n * n * n / seconds / 1e9;
}
