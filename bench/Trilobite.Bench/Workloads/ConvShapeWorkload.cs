using Trilobite.Kernels;

namespace Trilobite.Bench.Workloads;

/// <summary>
/// <c>conv --n 128 --h 26 --w 26 --c 32 --k 3 --oc 64 [--stride 1] [--same] [--threads 1]</c>: each convolution
/// kernel alone (forward, backward-data, backward-weights), in CPU time on one thread (wall time otherwise).
/// </summary>
public sealed class ConvShapeWorkload : IWorkload
{
    public string Description => "one convolution shape, each kernel timed alone: --n --h --w --c --k --oc --stride --same";

    public void Run(BenchOptions o)
    {
        int threads = o.Int("threads", 1);
        Measure.UseThreads(threads);
        var g = Conv2DGeometry.Create(o.Int("n", 128), o.Int("h", 26), o.Int("w", 26), o.Int("c", 32), o.Int("k", 3), o.Int("k", 3),
            o.Int("oc", 64), o.Int("stride", 1), o.Int("stride", 1), same: o.String("same") != null);
        float[] x = Measure.RandomFloats(g.InputLength, 1), w = Measure.RandomFloats(g.WeightLength, 2), b = new float[g.OutChannels];
        float[] y = new float[g.OutputLength], dy = Measure.RandomFloats(g.OutputLength, 3), dx = new float[g.InputLength], dw = new float[g.WeightLength], db = new float[g.OutChannels];
        float[] cols = new float[(long)g.Batch * g.OutPixels * g.PatchSize <= int.MaxValue ? g.Batch * g.OutPixels * g.PatchSize : 0];
        double flops = 2.0 * g.Batch * g.OutPixels * g.PatchSize * g.OutChannels;
        Func<Action, double, double> time = threads == 1 ? Measure.CpuSeconds : Measure.Seconds;
        foreach (var (name, body) in new (string, Action)[]
        {
            ("forward", () => Conv2DKernels.Forward(g, x, w, b, y)),
            ("backward-data", () => Conv2DKernels.BackwardData(g, dy, w, dx)),
            ("backward-weights", () => Conv2DKernels.BackwardWeights(g, x, dy, dw, db)),
            ("im2col alone", () => Im2Col.Unfold(g, x, 0, g.Batch * g.OutPixels, cols)),
        })
        {
            body();
            var samples = new List<double>();
            for (int r = 0; r < 5; r++) samples.Add(time(body, 0.3));
            double ms = Measure.Median(samples) * 1000;
            Console.WriteLine($"{name,-17} {ms,8:F2} ms  {flops / ms / 1e6,6:F1} GFLOP/s");
        }
    }
}
