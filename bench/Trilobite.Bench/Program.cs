using Trilobite.Bench.Workloads;

namespace Trilobite.Bench;

/// <summary>
/// Benchmark dispatcher: <c>dotnet run --project bench/Trilobite.Bench -c Release -- &lt;workload&gt; [--threads N] [--size N] [--name value]</c>.
/// To add a workload, write a class implementing <see cref="IWorkload"/> in Workloads/ and add one line to <see cref="Registry"/>.
/// </summary>
public static class Program
{
    private static readonly Dictionary<string, IWorkload> Registry = new(StringComparer.OrdinalIgnoreCase)
    {
        ["peak"] = new PeakWorkload(),
        ["gemm"] = new GemmWorkload(),
        ["gemm-table"] = new GemmTableWorkload(),
        ["gemm-macro"] = new GemmMacroWorkload(),
        ["conv-vgg"] = new ConvVggWorkload(),
        ["conv"] = new ConvShapeWorkload(),
        ["batchnorm"] = new BatchNormWorkload(),
        ["lenet-train"] = new TrainThroughputWorkload(),
        ["lenet-infer"] = new LeNetInferWorkload(),
        ["lenet-latency"] = new LeNetLatencyWorkload(),
        ["unet-train"] = new UNetTrainWorkload(),
        ["capsnet-train"] = new CapsNetTrainWorkload(),
        ["unet-infer"] = new UNetInferWorkload(),
        ["retinanet-train"] = new RetinaNetTrainWorkload(),
        ["retinanet-infer"] = new RetinaNetInferWorkload(),
        ["resnet18-features"] = new ResNet18FeaturesWorkload(),
        ["smallresnet-train"] = new TrainThroughputWorkload("Small ResNet (28×28×1) training (batch 128, Adam): images/s", () => Zoo.SmallResNet.Build()),
    };

    public static int Main(string[] args)
    {
        if (args.Length == 0 || !Registry.TryGetValue(args[0], out IWorkload? workload))
        {
            if (args.Length > 0) Console.Error.WriteLine($"Unknown workload '{args[0]}'.");
            Console.Error.WriteLine("Usage: Trilobite.Bench <workload> [--threads N] [--size N] [--name value]");
            foreach (var (name, w) in Registry.OrderBy(e => e.Key)) Console.Error.WriteLine($"  {name,-14} {w.Description}");
            return 2;
        }
        try
        {
            workload.Run(BenchOptions.Parse(args.AsSpan(1)));
            return 0;
        }
        catch (ArgumentException e)
        {
            Console.Error.WriteLine(e.Message);
            return 2;
        }
    }
}
