using Trilobite.Kernels;

namespace Trilobite.Bench.Workloads;

/// <summary>
/// <c>gemm-macro [--size N]</c>: the macro-kernel alone on already-packed MC×KC and KC×N operands,
/// one thread, no packing: the ceiling the blocked GEMM can reach, for tuning MR/NR/KC/MC.
/// </summary>
public sealed unsafe class GemmMacroWorkload : IWorkload
{
    public string Description => "macro-kernel only (pre-packed MC×KC·KC×N, 1 thread): the GEMM's ceiling";

    public void Run(BenchOptions options)
    {
        int n = options.Size(1024), mc = GemmBlocking.MC, kc = GemmBlocking.KC, ldc = options.Int("ldc", n);
        float[] a = Measure.RandomFloats(mc * kc, 1), b = Measure.RandomFloats(kc * n, 2);
        float[] c = new float[mc * ldc];
        fixed (float* pa = a, pb = b, pc = c)
        {
            float* ap = pa, bp = pb, cp = pc;
            void Body() => GemmMacroKernel.Run(mc, n, kc, ap, bp, cp, ldc, 1f);
            Body();
            var samples = new List<double>();
            for (int r = 0; r < 9; r++) samples.Add(2.0 * mc * n * kc / Measure.CpuSeconds(Body, 0.05) / 1e9);
            Console.WriteLine($"best {samples.Max():F1}");
            Console.WriteLine($"GFLOP/s: {Measure.Median(samples):F1}");
        }
    }
}
