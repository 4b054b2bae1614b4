using System.Diagnostics;
using System.Globalization;
using Trilobite.Kernels;
using Trilobite.Vision.Data;

namespace Trilobite.Cli.Commands;

/// <summary>
/// <c>trilobite train NAME --data FOLDER</c> when FOLDER holds one subfolder of images per class: the images are
/// streamed by <see cref="ImageFolder"/> (resized to --image-size, colour or grey, a seeded validation split, optional
/// augmentation), the model is built for that input shape and class count, keeps the class names (so predict prints
/// them), and the run ends with "Validation accuracy: 0.XXXX".
/// </summary>
internal static class ImageTraining
{
    /// <summary>What to train with; <see cref="BuildModel"/> (input shape, classes) replaces the catalog's model (transfer learning).</summary>
    public sealed record Settings(string Directory, int? ImageSize, string? ColorMode, bool Augment, bool FailOnBadFile,
        int BatchSize, int Seed, int Epochs, FitChoices Fit, string? ResumePath, int Verbose, Func<int[], int, Model>? BuildModel = null);

    public static int Run(ConsoleIO io, string modelName, Settings s)
    {
        Model? resumed = null;
        int[] shape;
        if (s.ResumePath != null)
        {
            resumed = Model.Load(s.ResumePath);
            shape = resumed.InputShape;
        }
        else
        {
            var defaults = ModelCatalog.DefaultInputShape(modelName);
            int channels = s.ColorMode switch { null => defaults[2], "rgb" => 3, _ => 1 };   // the option accepts rgb or grayscale
            shape = [s.ImageSize ?? defaults[0], s.ImageSize ?? defaults[1], channels];
        }
        var folder = ImageFolder.Open(s.Directory, FolderOptions(io, shape) with
        {
            BatchSize = s.BatchSize, ValidationSplit = s.Fit.ValidationSplit, Seed = s.Seed,
            Augmentation = s.Augment ? ImageAugmentation.Default : null,
            OnBadFile = s.FailOnBadFile ? BadFilePolicy.Fail : BadFilePolicy.SkipWithWarning,
        });
        if (folder.ClassNames.Count < 2)
            throw new InvalidDataException($"{s.Directory}: one class folder ('{folder.ClassNames[0]}'); a classifier needs at least two, one subfolder per class.");
        if (s.BatchSize > folder.Training.Count)
            throw new UsageException($"--batch-size {s.BatchSize} is more than the {folder.Training.Count} training images; use at most {folder.Training.Count}.");
        Model net;
        if (resumed != null)
        {
            net = resumed;
            if (net.ClassNames != null && !net.ClassNames.SequenceEqual(folder.ClassNames))
                throw new InvalidDataException($"{s.ResumePath}: the model was trained on classes {string.Join(", ", net.ClassNames)}, but {s.Directory} has {string.Join(", ", folder.ClassNames)}.");
            TrainCommand.CheckResumable(net, s.ResumePath!, modelName, shape, folder.ClassNames.Count, s.Epochs);
            s.Fit.AdoptResumedOptimizer(net, s.ResumePath!);
            io.Out.WriteLine(TrainCommand.Resuming(s.ResumePath!, net));
        }
        else
        {
            RandomSeed.Set(s.Seed);
            net = s.BuildModel?.Invoke(shape, folder.ClassNames.Count) ?? ModelCatalog.Build(modelName, shape, folder.ClassNames.Count);
            net.ClassNames = folder.ClassNames;
            net.Compile(ModelCatalog.LossFor(net), s.Fit.CreateOptimizer(), [Metric.Accuracy]);
        }
        TrainingMemory.Check(net, modelName, s.BatchSize);
        io.Out.WriteLine($"{folder.Files.Count} images in {folder.ClassNames.Count} classes ({string.Join(", ", folder.ClassNames)}): " +
            $"{folder.Training.Count} for training, {folder.Validation?.Count ?? 0} for validation, as {ShapeText.WithBatch(shape)}.");
        io.Out.WriteLine($"Training {modelName}: {s.Epochs} epochs of batch {s.BatchSize}, {s.Fit.DescribeOptimizer(net)}{(s.Augment ? ", augmented" : "")}.");
        var callbacks = s.Fit.Callbacks(s.Epochs, resuming: resumed != null);
        var clock = Stopwatch.StartNew();
        var history = net.Fit(folder.Training, new FitOptions
        {
            Epochs = s.Epochs, InitialEpoch = net.CompletedEpochs, InitialStep = net.CompletedSteps, Verbose = s.Verbose, Callbacks = callbacks,
            Output = io.Out == Console.Out ? null : io.Out,
        }, folder.Validation);
        TrainCommand.ReportTraining(io, history, clock, $"{folder.Training.Count} training images, {KernelThreads.Count} threads");
        s.Fit.Report(io, net, history, callbacks);
        if (folder.Validation != null)
            io.Out.WriteLine($"Validation accuracy: {net.Evaluate(folder.Validation)["accuracy"].ToString("F4", CultureInfo.InvariantCulture)}");
        return 0;
    }

    /// <summary>
    /// <c>trilobite evaluate model.trilo --data FOLDER</c>: loss and metrics over every image of the folder, prepared
    /// as validation images are (no augmentation). The folder's classes must be the ones the model was trained on.
    /// </summary>
    public static (Dictionary<string, double> Results, ConfusionMatrix? Matrix) Evaluate(ConsoleIO io, Model net, string directory, bool withConfusion)
    {
        var folder = ImageFolder.Open(directory, FolderOptions(io, net.InputShape) with { BatchSize = 64, Shuffle = false });
        if (net.ClassNames != null && !net.ClassNames.SequenceEqual(folder.ClassNames))
            throw new InvalidDataException($"{directory}: the model was trained on classes {string.Join(", ", net.ClassNames)}, but this folder has {string.Join(", ", folder.ClassNames)}.");
        if (net.OutputShape[^1] != folder.ClassNames.Count)
            throw new InvalidDataException($"{directory}: {folder.ClassNames.Count} class folders, but the model has {net.OutputShape[^1]} outputs.");
        io.Out.WriteLine($"{folder.Training.Count} images in {folder.ClassNames.Count} classes, as {ShapeText.WithBatch(net.InputShape)}.");
        var results = net.Evaluate(folder.Training);
        return (results, withConfusion ? ConfusionMatrix.Of(net, folder.Training) : null);
    }

    /// <summary>Size and colour mode for a model's (height, width, 1 or 3) input; bad files are reported on stderr.</summary>
    private static ImageFolderOptions FolderOptions(ConsoleIO io, int[] shape)
    {
        if (shape is not [_, _, 1 or 3])
            throw new ArgumentException($"An image folder needs a model whose input is (height, width, 1 or 3), but this one takes {ShapeText.WithBatch(shape)}.");
        return new ImageFolderOptions
        {
            Height = shape[0], Width = shape[1], ColorMode = shape[2] == 1 ? ColorMode.Grayscale : ColorMode.Rgb, Warnings = io.Error,
        };
    }
}
