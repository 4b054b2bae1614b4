using System.Diagnostics;
using System.Globalization;
using Trilobite.Kernels;
using Trilobite.Vision.Detection;

namespace Trilobite.Cli.Commands;

/// <summary>
/// <c>trilobite train retinanet|yolo --data COCO_DIR</c>: the RetinaNet-style detector (focal and L1 box losses) or the
/// YOLO v1-style one (its sum-squared loss) trained on a COCO-format folder (such as <c>trilobite scenes</c> writes),
/// validated on the folder's last images; and <c>evaluate</c>'s detection lines (VOC mAP@0.5, COCO mAP).
/// </summary>
internal static class DetectionTraining
{
    /// <summary>The models trained on boxes.</summary>
    public static bool IsDetector(string name) => name.Equals("retinanet", StringComparison.OrdinalIgnoreCase) || name.Equals("yolo", StringComparison.OrdinalIgnoreCase);

    /// <summary>Builds (or resumes), trains and saves; the run ends with the validation images' mAP.</summary>
    public static int Run(ConsoleIO io, string name, string? data, int epochs, int batchSize, int seed, FitChoices fit, string? resumePath, int verbose)
    {
        name = name.ToLowerInvariant();
        if (data == null)
            throw new UsageException($"train {name} needs --data DIR: a COCO-format folder, e.g. written by 'trilobite scenes --out DIR --count 20000 --digits train'.");
        var clock = Stopwatch.StartNew();
        var dataset = CocoDetectionData.Load(data);
        int held = (int)(dataset.Count * fit.ValidationSplit);
        if (held == 0 || held == dataset.Count)
            throw new UsageException($"--validation-split {fit.ValidationSplit.ToString(CultureInfo.InvariantCulture)} of {dataset.Count} images leaves {(held == 0 ? "nothing to validate on" : "nothing to train on")}.");
        int kept = dataset.Count - held;
        if (batchSize > kept) throw new UsageException($"--batch-size {batchSize} is more than the {kept} training images; use at most {kept}.");
        io.Out.WriteLine($"Read {dataset.Count} images ({string.Join("×", dataset.ImageShape)}) with {dataset.Truth.Sum(t => t.Count)} boxes of {dataset.ClassNames.Count} classes in {clock.Elapsed.TotalSeconds:F1} s.");
        Model net;
        if (resumePath != null)
        {
            net = Model.Load(resumePath);
            var resumed = DetectorSpec.Of(net);
            if (resumed.Kind != name) throw new UsageException($"--resume {resumePath} is a {resumed.Kind} detector, not {name}.");
            if (!resumed.ClassNames.SequenceEqual(dataset.ClassNames)) throw new UsageException($"--resume {resumePath} detects {string.Join(", ", resumed.ClassNames)}, not the data's {string.Join(", ", dataset.ClassNames)}.");
            if (net.CompletedEpochs >= epochs) throw new UsageException($"--resume {resumePath} has already completed {net.CompletedEpochs} epoch(s), and --epochs {epochs} is the total: nothing left to train (raise --epochs).");
            fit.AdoptResumedOptimizer(net, resumePath);
            io.Out.WriteLine(TrainCommand.Resuming(resumePath, net));
        }
        else
        {
            RandomSeed.Set(seed);
            net = name == "yolo" ? YoloV1.Build(dataset.ImageShape, dataset.ClassNames) : RetinaNet.Build(dataset.ImageShape, dataset.ClassNames);
            net.Compile(name == "yolo" ? new YoloV1Loss() : new RetinaNetLoss(), fit.CreateOptimizer(), Parts(name));
        }
        var spec = DetectorSpec.Of(net);
        TrainingMemory.Check(net, name, batchSize);
        var train = new DetectionBatchSource(dataset, [.. Enumerable.Range(0, kept)], spec, batchSize, shuffle: true, seed);
        var validation = new DetectionBatchSource(dataset, [.. Enumerable.Range(kept, held)], spec, batchSize, shuffle: false, seed);
        string predictions = name == "yolo" ? $"a grid of {spec.Grid}×{spec.Grid} cells, {spec.BoxesPerCell} boxes each" : $"{spec.AnchorsPerLevel().Sum()} anchors per image";
        io.Out.WriteLine($"Training {name}: {epochs} epochs of batch {batchSize}, {fit.DescribeOptimizer(net)}; {kept} images, validating on the last {held}; {predictions}.");
        var callbacks = fit.Callbacks(epochs, resuming: resumePath != null);
        clock.Restart();
        var history = net.Fit(train, new FitOptions
        {
            Epochs = epochs, InitialEpoch = net.CompletedEpochs, InitialStep = net.CompletedSteps, Verbose = verbose, Callbacks = callbacks, Output = io.Out == Console.Out ? null : io.Out,
        }, validation);
        TrainCommand.ReportTraining(io, history, clock, $"{kept} images, {KernelThreads.Count} threads");
        fit.Report(io, net, history, callbacks);
        var (voc, coco) = new ObjectDetector(net).Evaluate(dataset.Slice(kept, held));
        Print(io, voc, coco, "Validation ");
        return 0;
    }

    /// <summary>The loss parts reported beside the total.</summary>
    public static Metric[] Parts(string name) => name == "yolo"
        ? [.. YoloLossPart.Names.Select(p => (Metric)new YoloLossPart(p))]
        : [new RetinaNetLossPart(box: false), new RetinaNetLossPart(box: true)];

    /// <summary>"mAP@0.5: 0.XXXX" (VOC all-point), "COCO mAP: 0.XXXX", then AP50/AP75 and the recalls.</summary>
    public static void Print(ConsoleIO io, double voc, CocoScores coco, string prefix = "")
    {
        string F(double v) => v.ToString("F4", CultureInfo.InvariantCulture);
        io.Out.WriteLine($"{prefix}mAP@0.5: {F(voc)}");
        io.Out.WriteLine($"{prefix}COCO mAP: {F(coco.AP)}");
        io.Out.WriteLine($"{prefix}COCO AP50 {F(coco.AP50)}, AP75 {F(coco.AP75)}, AR1 {F(coco.AR1)}, AR10 {F(coco.AR10)}, AR100 {F(coco.AR100)}");
    }

    /// <summary>Evaluates a saved detector on a COCO-format folder.</summary>
    public static void Evaluate(ConsoleIO io, Model net, string directory)
    {
        var detector = new ObjectDetector(net);
        var data = CocoDetectionData.Load(directory, detector.Spec.Input[2]);
        var (voc, coco) = detector.Evaluate(data);
        Print(io, voc, coco);
    }
}
