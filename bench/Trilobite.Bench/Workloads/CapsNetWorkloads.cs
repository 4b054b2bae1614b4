using Trilobite.Zoo;

namespace Trilobite.Bench.Workloads;

/// <summary>
/// <c>capsnet-train [--threads T] [--seconds 20] [--profile 1]</c>: the paper's MNIST CapsNet (8.2M parameters, three
/// routing iterations, margin + reconstruction loss), Adam, batch 32 of random 28×28 images: images/s, and the bytes of
/// one prediction-vector tensor û.
/// </summary>
public sealed class CapsNetTrainWorkload : IWorkload
{
    public const int Batch = 32;

    public string Description => "CapsNet (Sabour et al. 2017) training on 28×28×1, batch 32, Adam: images/s";

    public void Run(BenchOptions options)
    {
        Measure.UseThreads(options.Threads);
        int seconds = options.Int("seconds", 20);
        RandomSeed.Set(1);
        var model = CapsNet.Mnist();
        model.Compile(Loss.Margin, new Adam());
        var x = Tensor.Uniform([Batch * 2, 28, 28, 1], 0, 1, 2);
        var y = Tensor.OneHot(Tensor.FromArray(Enumerable.Range(0, Batch * 2).Select(i => (float)(i * 7 % 10)).ToArray(), Batch * 2), 10);
        Console.WriteLine($"u_hat: {Batch * 10 * 1152 * 16 * 4 / 1048576.0:F1} MiB");
        Measure.TrainThroughput(model, x, y, Batch, seconds, profile: options.String("profile") != null);
    }
}
