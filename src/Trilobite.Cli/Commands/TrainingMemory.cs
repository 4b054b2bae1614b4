using Trilobite.Layers;

namespace Trilobite.Cli.Commands;

/// <summary>
/// About how much memory a training step takes, so a batch size that would exhaust the machine is refused with the
/// numbers instead of swapping for minutes: per sample, every layer's output three times (the value, its gradient
/// and a temporary) plus each convolution's unfolded input; per model, the weights four times (value, gradient and
/// Adam's two slots). It errs high: LeNet at batch 6,000 peaks at 8.7 GB (measured) and is estimated at 10.4 GB.
/// </summary>
internal static class TrainingMemory
{
    public static long PerSampleBytes(Model model)
    {
        long floats = 0;
        foreach (var layer in model.Layers)
        {
            if (layer is InputLayer) continue;
            floats += 3 * Elements(layer.OutputShape);
            if (layer is Conv2D conv) floats += (long)conv.KernelSize.H * conv.KernelSize.W * conv.InputShapes[0][2] * conv.OutputShape[0] * conv.OutputShape[1];
        }
        return floats * sizeof(float);
    }

    public static long FixedBytes(Model model) => 4L * sizeof(float) * model.Weights.Sum(w => (long)w.Size);

    /// <summary>Memory a process may use here: what the GC sees (the machine's, or a container's limit).</summary>
    public static long AvailableBytes => GC.GetGCMemoryInfo().TotalAvailableMemoryBytes;

    /// <summary>Refuses a batch whose step would need more than half the memory available, naming the largest that fits.</summary>
    public static void Check(Model model, string modelName, int batchSize)
    {
        long perSample = PerSampleBytes(model), fixedBytes = FixedBytes(model), budget = AvailableBytes / 2;
        long needed = fixedBytes + perSample * batchSize;
        if (needed <= budget) return;
        long fits = Math.Max(0, (budget - fixedBytes) / Math.Max(perSample, 1));
        throw new UsageException($"--batch-size {batchSize} needs about {Gigabytes(needed)} for {modelName}'s training step, more than half of the {Gigabytes(AvailableBytes)} " +
            (fits > 0 ? $"this machine has; use --batch-size {fits} or less." : "this machine has, even for one sample."));
    }

    private static long Elements(int[] shape) => shape.Aggregate(1L, (a, d) => a * d);

    private static string Gigabytes(long bytes) => $"{bytes / 1e9:F1} GB";
}
