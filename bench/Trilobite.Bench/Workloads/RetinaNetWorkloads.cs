using Trilobite.Vision.Detection;

namespace Trilobite.Bench.Workloads;

/// <summary>The RetinaNet-style detector on random 128×128×1 images with random anchor targets (2 % of anchors labelled): the detection peer comparison.</summary>
internal static class RetinaNetBench
{
    public static (Model Model, Tensor X, Tensor Y) Create(int batch)
    {
        RandomSeed.Set(1);
        var model = RetinaNet.Build([128, 128, 1], [.. Enumerable.Range(0, 10).Select(i => i.ToString(System.Globalization.CultureInfo.InvariantCulture))]);
        model.Compile(new RetinaNetLoss(), new Adam());
        int anchors = model.OutputShape[0];
        var random = new Random(3);
        var y = new float[batch * anchors * 15];
        for (int a = 0; a < batch * anchors; a++)
        {
            if (random.NextDouble() >= 0.02) continue;
            int state = random.Next(-1, 2);
            y[a * 15 + 14] = state;
            if (state != 1) continue;
            y[a * 15 + random.Next(10)] = 1;
            for (int j = 0; j < 4; j++) y[a * 15 + 10 + j] = (float)(random.NextDouble() - 0.5) * 0.6f;
        }
        return (model, Tensor.Uniform([batch, 128, 128, 1], 0, 1, 2), Tensor.FromArray(y, [batch, anchors, 15]));
    }
}

/// <summary><c>retinanet-train [--threads T] [--seconds 20] [--profile 1|shapes]</c>: detector training steps (batch 16, Adam, focal + L1), images/s.</summary>
public sealed class RetinaNetTrainWorkload : IWorkload
{
    public string Description => "RetinaNet-style detector training on 128×128×1, batch 16, Adam: images/s";

    public void Run(BenchOptions options)
    {
        Measure.UseThreads(options.Threads);
        int seconds = options.Int("seconds", 20);
        var (model, x, y) = RetinaNetBench.Create(32);
        Trilobite.Autograd.OpProfiler.ByShape = options.String("profile") == "shapes";
        Measure.TrainThroughput(model, x, y, 16, seconds, profile: options.String("profile") != null);
    }
}

/// <summary><c>retinanet-infer [--threads T] [--size 1|16]</c>: detector forward passes (raw outputs, before decoding) at batch 1 or 16, images/s.</summary>
public sealed class RetinaNetInferWorkload : IWorkload
{
    public string Description => "RetinaNet-style detector inference on 128×128×1 at batch --size (1 or 16): images/s";

    public void Run(BenchOptions options)
    {
        Measure.UseThreads(options.Threads);
        int batch = options.Size(16) == 1 ? 1 : 16;
        var (model, x, _) = RetinaNetBench.Create(batch);
        Measure.PredictThroughput(model, x);
    }
}
