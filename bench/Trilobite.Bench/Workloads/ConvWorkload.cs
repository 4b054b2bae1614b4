using Trilobite.Kernels;

namespace Trilobite.Bench.Workloads;

/// <summary>
/// <c>conv-vgg [--threads T]</c>: the VGG-style 3×3, 64→64, 'same' convolution on 8×56×56×64,
/// forward and forward + backward (input, weight and bias gradients), with its share of the FMA peak.
/// </summary>
public sealed class ConvVggWorkload : IWorkload
{
    public string Description => "3×3 64→64 'same' conv on 8×56×56×64: forward and forward+backward ms, % of FMA peak";

    public void Run(BenchOptions options)
    {
        int threads = options.Threads;
        Measure.UseThreads(threads);
        var g = Conv2DGeometry.Create(8, 56, 56, 64, 3, 3, 64, 1, 1, same: true);
        float[] x = Measure.RandomFloats(g.InputLength, 1), w = Measure.RandomFloats(g.WeightLength, 2), b = new float[64];
        float[] y = new float[g.OutputLength], dy = Measure.RandomFloats(g.OutputLength, 3), dx = new float[g.InputLength], dw = new float[g.WeightLength], db = new float[64];
        void Forward() => Conv2DKernels.Forward(g, x, w, b, y);
        void ForwardBackward()
        {
            Forward();
            Array.Clear(dx); Array.Clear(dw); Array.Clear(db);
            Conv2DKernels.BackwardData(g, dy, w, dx);
            Conv2DKernels.BackwardWeights(g, x, dy, dw, db);
        }
        double flops = 2.0 * g.Batch * g.OutPixels * g.PatchSize * g.OutChannels;
        Forward(); ForwardBackward();
        var fwd = new List<double>();
        var both = new List<double>();
        var peak = new List<double>();
        for (int r = 0; r < 7; r++)   // interleaved, so host noise hits all three alike
        {
            fwd.Add(Measure.Seconds(Forward, 0.2) * 1000);
            both.Add(Measure.Seconds(ForwardBackward, 0.2) * 1000);
            peak.Add(FmaPeak.GFlops(threads));
        }
        double f = Measure.Median(fwd), fb = Measure.Median(both), p = Measure.Median(peak);
        Console.WriteLine($"threads={threads}, FMA peak {p:F1} GFLOP/s");
        Console.WriteLine($"forward:          {f,8:F2} ms  {flops / f / 1e6,6:F1} GFLOP/s  {flops / f / 1e6 / p * 100,5:F1}% of peak");
        Console.WriteLine($"forward+backward: {fb,8:F2} ms  {3 * flops / fb / 1e6,6:F1} GFLOP/s  {3 * flops / fb / 1e6 / p * 100,5:F1}% of peak");
        Console.WriteLine($"ms: {fb:F2}");
    }
}
