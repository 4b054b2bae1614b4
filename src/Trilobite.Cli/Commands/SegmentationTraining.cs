using System.Diagnostics;
using System.Globalization;
using Trilobite.Kernels;
using Trilobite.Vision.Scenes;
using Trilobite.Zoo;

namespace Trilobite.Cli.Commands;

/// <summary>
/// <c>trilobite train unet --data SCENES</c>: the default U-Net (base 16 filters, depth 4, 'same' + BatchNormalization)
/// trained per pixel on a scene folder (<c>trilobite scenes</c>) with sparse cross-entropy, validated on the folder's
/// last scenes; and <c>evaluate</c>'s segmentation lines (mIoU, pixel accuracy, background and foreground IoU).
/// </summary>
internal static class SegmentationTraining
{
    /// <summary>The models trained on scene masks rather than class labels.</summary>
    public static bool IsSegmentation(string name) => name.Equals("unet", StringComparison.OrdinalIgnoreCase) || name.Equals("unet-paper", StringComparison.OrdinalIgnoreCase);

    /// <summary>Builds (or resumes), trains and saves; the run ends with the validation scenes' mIoU.</summary>
    public static int Run(ConsoleIO io, string name, string? data, int epochs, int batchSize, int seed, FitChoices fit, string? resumePath, int verbose, float[]? classWeights = null)
    {
        if (name.Equals("unet-paper", StringComparison.OrdinalIgnoreCase))
            throw new UsageException("unet-paper is the paper's 572×572 network (see 'trilobite summary unet-paper'); train 'unet' on scenes instead.");
        if (data == null)
            throw new UsageException("train unet needs --data SCENES: a folder written by 'trilobite scenes --out SCENES --count 20000 --digits train'.");
        var scenes = SceneMasks.Load(data);
        int held = (int)(scenes.Count * fit.ValidationSplit);
        if (held == 0 || held == scenes.Count)
            throw new UsageException($"--validation-split {fit.ValidationSplit.ToString(CultureInfo.InvariantCulture)} of {scenes.Count} scenes leaves {(held == 0 ? "nothing to validate on" : "nothing to train on")}.");
        int kept = scenes.Count - held;
        var train = new Dataset(scenes.X.Slice(0, kept), scenes.Y.Slice(0, kept));
        var validation = new Dataset(scenes.X.Slice(kept, held), scenes.Y.Slice(kept, held));
        if (batchSize > kept) throw new UsageException($"--batch-size {batchSize} is more than the {kept} training scenes; use at most {kept}.");
        Model net;
        if (resumePath != null)
        {
            net = Model.Load(resumePath);
            if (net.OutputShape.Length != 3) throw new UsageException($"--resume {resumePath} is not a segmentation model (its output is {ShapeText.WithBatch(net.OutputShape)}).");
            if (net.CompletedEpochs >= epochs) throw new UsageException($"--resume {resumePath} has already completed {net.CompletedEpochs} epoch(s), and --epochs {epochs} is the total: nothing left to train (raise --epochs).");
            fit.AdoptResumedOptimizer(net, resumePath);
            io.Out.WriteLine(TrainCommand.Resuming(resumePath, net));
        }
        else
        {
            RandomSeed.Set(seed);
            net = UNet.Build(scenes.X.ShapeArray[1..], DigitScene.MaskClasses, baseFilters: 16, depth: 4);
            net.ClassNames = scenes.ClassNames;
            net.Compile(new Losses.SparseCategoricalCrossentropy { ClassWeights = classWeights }, fit.CreateOptimizer(), Metrics());
        }
        TrainingMemory.Check(net, name, batchSize);
        io.Out.WriteLine($"Training unet: {epochs} epochs of batch {batchSize}, {fit.DescribeOptimizer(net)}{WeightsText(net)}; {kept} scenes, validating on the last {held}.");
        var callbacks = fit.Callbacks(epochs, resuming: resumePath != null);
        var clock = Stopwatch.StartNew();
        var history = net.Fit(train.X, train.Y, new FitOptions
        {
            BatchSize = batchSize, Epochs = epochs, InitialEpoch = net.CompletedEpochs, InitialStep = net.CompletedSteps, Verbose = verbose, ValidationData = validation,
            Callbacks = callbacks, Output = io.Out == Console.Out ? null : io.Out,
        });
        TrainCommand.ReportTraining(io, history, clock, $"{kept} scenes, {KernelThreads.Count} threads");
        fit.Report(io, net, history, callbacks);
        Print(io, Measure(net, validation), "Validation ");
        return 0;
    }

    private static string WeightsText(Model net) => net.Loss is Losses.SparseCategoricalCrossentropy { ClassWeights: { } w }
        ? ", class weights " + string.Join(",", w.Select(v => v.ToString(CultureInfo.InvariantCulture))) : "";

    /// <summary>--class-weight's list: one finite weight, 0 or more, per mask class; null when the option is absent.</summary>
    public static float[]? ParseClassWeights(string? text, string? resumePath)
    {
        if (text == null) return null;
        if (resumePath != null) throw new UsageException("--class-weight cannot change a resumed model: it keeps the class weights it was trained with.");
        var parts = text.Split(',', StringSplitOptions.TrimEntries);
        var weights = new float[parts.Length];
        for (int i = 0; i < parts.Length; i++)
            if (!float.TryParse(parts[i], NumberStyles.Float, CultureInfo.InvariantCulture, out weights[i]) || !float.IsFinite(weights[i]) || weights[i] < 0)
                throw new UsageException($"--class-weight entry {i + 1} is '{Excerpt.Of(parts[i])}'; expected a number, 0 or more.");
        if (weights.Length != DigitScene.MaskClasses)
            throw new UsageException($"--class-weight has {weights.Length} numbers; expected {DigitScene.MaskClasses}, one per mask class (background, then digits 0-9).");
        return weights;
    }

    /// <summary>What a segmentation model is compiled with: pixel accuracy and Keras's MeanIoU over the 11 mask classes.</summary>
    public static Metric[] Metrics() => [new PixelAccuracy(DigitScene.MaskClasses), new MeanIoU(DigitScene.MaskClasses)];

    /// <summary>mIoU, pixel accuracy and the per-class IoU over every scene of <paramref name="data"/>.</summary>
    public static (double MeanIoU, double PixelAccuracy, double[] PerClass) Measure(Model net, Dataset data)
    {
        var iou = new MeanIoU(DigitScene.MaskClasses);
        var accuracy = new PixelAccuracy(DigitScene.MaskClasses);
        for (int start = 0; start < data.Count; start += 32)
        {
            int n = Math.Min(32, data.Count - start);
            var y = data.Y.Slice(start, n);
            var p = net.Predict(data.X.Slice(start, n), n);
            iou.Update(p, y.To(p.Device));
            accuracy.Update(p, y.To(p.Device));
        }
        return (iou.Result, accuracy.Result, iou.PerClass());
    }

    /// <summary>"mIoU: 0.XXXX", "pixel accuracy: 0.XXXX", then background and mean digit IoU.</summary>
    public static void Print(ConsoleIO io, (double MeanIoU, double PixelAccuracy, double[] PerClass) m, string prefix = "")
    {
        string F(double v) => v.ToString("F4", CultureInfo.InvariantCulture);
        io.Out.WriteLine($"{prefix}mIoU: {F(m.MeanIoU)}");
        io.Out.WriteLine($"{prefix}pixel accuracy: {F(m.PixelAccuracy)}");
        var digits = m.PerClass[1..].Where(v => !double.IsNaN(v)).DefaultIfEmpty(0).Average();
        io.Out.WriteLine($"{prefix}IoU: background {F(m.PerClass[0])}, digits {F(digits)} (mean of 0-9: {string.Join(" ", m.PerClass[1..].Select(F))})");
    }
}
