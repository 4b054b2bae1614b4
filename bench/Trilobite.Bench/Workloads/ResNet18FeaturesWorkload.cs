using System.Diagnostics;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;
using Trilobite.Onnx;
using Trilobite.Onnx.Pretrained;

namespace Trilobite.Bench.Workloads;

/// <summary>
/// <c>resnet18-features [--threads T] [--size B] [--rounds R]</c>: the ImageNet-pretrained ResNet-18 from NuGet, imported, as
/// a feature extractor (224×224×3 → 512) at batch B, against ONNX Runtime running the same network (Trilobite's export
/// of the imported model, so both see the same graph and weights, batch B) on the same threads; rounds interleaved.
/// </summary>
public sealed class ResNet18FeaturesWorkload : IWorkload
{
    public string Description => "pretrained ResNet-18 feature extraction (224×224×3 → 512) at batch --size (8), against ONNX Runtime: images/s";

    public void Run(BenchOptions options)
    {
        Measure.UseThreads(options.Threads);
        int batch = options.Int("size", 8), rounds = options.Int("rounds", 5), threads = Kernels.KernelThreads.Count;
        var model = ResNet18Features.Load();
        var x = Tensor.Uniform([batch, 224, 224, 3], 0, 255, 3);
        using var sessionOptions = new SessionOptions { IntraOpNumThreads = threads, InterOpNumThreads = 1, ExecutionMode = ExecutionMode.ORT_SEQUENTIAL };
        using var session = new InferenceSession(OnnxExporter.ToBytes(model), sessionOptions);
        var input = new DenseTensor<float>(x.ToArray(), [batch, 224, 224, 3]);
        void RunOrt()
        {
            using var result = session.Run([NamedOnnxValue.CreateFromTensor("input", input)]);
        }
        for (int i = 0; i < 2; i++) { model.Predict(x, batch); RunOrt(); }   // warm-up
        var ours = new List<double>();
        var ort = new List<double>();
        for (int r = 0; r < rounds; r++)
        {
            ours.Add(batch / Time(() => model.Predict(x, batch)));
            ort.Add(batch / Time(RunOrt));
        }
        double a = Median(ours), b = Median(ort);
        Console.WriteLine($"threads {threads}, batch {batch}: Trilobite {a:F1} images/s ({ours.Min():F1}-{ours.Max():F1}), ONNX Runtime {b:F1} ({ort.Min():F1}-{ort.Max():F1}): {a / b:F2}x");
        Console.WriteLine($"images/s: {a:F1}");
    }

    private static double Time(Action action)
    {
        var clock = Stopwatch.StartNew();
        action();
        return clock.Elapsed.TotalSeconds;
    }

    private static double Median(List<double> values)
    {
        var sorted = values.Order().ToList();
        return sorted[sorted.Count / 2];
    }
}
