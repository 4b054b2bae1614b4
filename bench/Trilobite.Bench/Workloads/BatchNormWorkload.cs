using Trilobite.Kernels;

namespace Trilobite.Bench.Workloads;

/// <summary>
/// <c>batchnorm --n 16 --h 128 --w 128 --c 16 [--threads 1]</c>: batch normalisation with a fused ReLU over one NHWC
/// batch, each kernel alone (training forward, its normalising pass alone as the inference forward, the backward pass,
/// and its channel sums alone as a backward without dx), in CPU time on one thread (wall time otherwise).
/// </summary>
public sealed class BatchNormWorkload : IWorkload
{
    public string Description => "batch norm + ReLU on one NHWC batch, each kernel timed alone: --n --h --w --c";

    public void Run(BenchOptions o)
    {
        int threads = o.Int("threads", 1), channels = o.Int("c", 16);
        Measure.UseThreads(threads);
        int length = o.Int("n", 16) * o.Int("h", 128) * o.Int("w", 128) * channels;
        float[] x = Measure.RandomFloats(length, 1), dy = Measure.RandomFloats(length, 2), y = new float[length], dx = new float[length];
        float[] gamma = Enumerable.Repeat(1f, channels).ToArray(), beta = new float[channels], movingMean = new float[channels];
        float[] movingVariance = Enumerable.Repeat(1f, channels).ToArray(), mean = new float[channels], inverseStd = new float[channels];
        float[] dGamma = new float[channels], dBeta = new float[channels];
        Func<Action, double, double> time = threads == 1 ? Measure.CpuSeconds : Measure.Seconds;
        foreach (var (name, body) in new (string, Action)[]
        {
            ("forward", () => BatchNormKernels.ForwardTraining(x, channels, gamma, beta, 1e-3f, 0.99f, movingMean, movingVariance, y, mean, inverseStd, relu: true)),
            ("normalize alone", () => BatchNormKernels.ForwardInference(x, channels, gamma, beta, 1e-3f, mean, movingVariance, y, relu: true)),
            ("backward", () => BatchNormKernels.Backward(x, dy, channels, gamma, mean, inverseStd, dx, dGamma, dBeta, y)),
            ("sums alone", () => BatchNormKernels.Backward(x, dy, channels, gamma, mean, inverseStd, default, dGamma, dBeta, y)),
        })
        {
            body();
            var samples = new List<double>();
            for (int r = 0; r < 5; r++) samples.Add(time(body, 0.3));
            double ms = Measure.Median(samples) * 1000;
            Console.WriteLine($"{name,-17} {ms,8:F3} ms  {length * 4.0 / ms / 1e6,6:F1} GB/s of x");
        }
    }
}
