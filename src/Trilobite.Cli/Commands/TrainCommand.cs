using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using Trilobite.Data;
using Trilobite.Kernels;
using Trilobite.Training;

namespace Trilobite.Cli.Commands;

/// <summary>
/// <c>trilobite train lenet [--data DIR] [--epochs N] [--batch-size N] [--seed N] [--save FILE] [--resume FILE]</c> and
/// the Keras fit choices of <see cref="FitOptionsCli"/>: trains with categorical cross-entropy, checkpointing to --save
/// after every epoch, validating on a held-out part of the training data when asked, and ends with
/// "Test accuracy: 0.XXXX" measured on the test split, which nothing else sees. When DIR holds one subfolder of images per
/// class, <see cref="ImageTraining"/> streams them instead (--image-size, --color-mode, --validation-split, --augment).
/// </summary>
internal static class TrainCommand
{
    public static Command Create(ConsoleIO io)
    {
        var model = new Argument<string>("model") { Description = "Model to train: " + string.Join(", ", ModelCatalog.Names) + "." };
        var data = new Option<string?>("--data") { Description = "Folder with the four MNIST-format IDX files (default: the MNIST sample shipped with Trilobite), or with one subfolder of images per class." };
        var epochs = new Option<int>("--epochs") { Description = "Number of epochs (total, including resumed ones).", DefaultValueFactory = _ => 12 }.Range(1, 100_000);
        var batchSize = new Option<int>("--batch-size") { Description = "Samples per gradient step (Keras's default, 32).", DefaultValueFactory = _ => 32 }.Range(1, 65_536);
        var seed = new Option<int>("--seed") { Description = "Seed for initialisation, shuffling and dropout.", DefaultValueFactory = _ => 1 };
        var fit = new FitOptionsCli();
        var save = new Option<string?>("--save") { Description = "Model file to write after every epoch (atomically) and at the end." };
        var resume = new Option<string?>("--resume") { Description = "Continue training a model saved by --save, from its last completed epoch." };
        var threads = ThreadsOption();
        var verbose = new Option<int>("--verbose") { Description = "0 silent, 1 progress bar, 2 one line per epoch.", DefaultValueFactory = _ => 1 }.Range(0, 2);
        var imageSize = new Option<int?>("--image-size") { Description = "Image folders: resize images to this height and width (default: the model's input size)." }.Range(8, 4096);
        var colorMode = new Option<string?>("--color-mode") { Description = "Image folders: rgb or grayscale (default: the model's channels)." };
        colorMode.AcceptOnlyFromAmong("rgb", "grayscale");
        var augment = new Option<bool>("--augment") { Description = "Image folders: random flips, crops, shifts, rotations, brightness and contrast. IDX files: random shifts of up to --max-shift pixels and, except for digits, horizontal flips (default: the model's recipe for IDX files, lenet: on; --augment false turns it off)." };
        var maxShift = new Option<int>("--max-shift") { Description = "IDX files with --augment: largest random shift in pixels (0: flips only).", DefaultValueFactory = _ => 2 }.Range(0, 8);
        var device = DeviceOption.Create();
        var failOnBadFile = new Option<bool>("--fail-on-bad-file") { Description = "Image folders: stop at a file that is not a readable image (default: skip it with a warning)." };
        var baseModel = new Option<string>("--base") { Description = $"transfer: the pretrained base, '{TransferTraining.ResNet18ImageNet}' (NuGet's ImageNet ResNet-18) or a .trilo/.onnx model.", DefaultValueFactory = _ => TransferTraining.ResNet18ImageNet };
        var freezeBase = new Option<bool>("--freeze-base") { Description = "transfer: keep the base's weights fixed and train the new head only (default true).", DefaultValueFactory = _ => true };
        var fineTuneFrom = new Option<string?>("--fine-tune-from") { Description = "transfer: also train the base's layers from this one to its output (fine-tuning its top block)." };
        var classWeight = new Option<string?>("--class-weight") { Description = "unet: one weight per mask class, comma-separated (11 numbers: background, then digits 0-9); each pixel's cross-entropy is weighted by its class's (default: all 1)." };
        var command = new Command("train", "Train a model on MNIST-format data or an image folder and report its accuracy.")
        { model, data, epochs, batchSize, seed, save, resume, threads, verbose, imageSize, colorMode, augment, maxShift, failOnBadFile, device, classWeight, baseModel, freezeBase, fineTuneFrom };
        foreach (var option in fit.All) command.Options.Add(option);
        command.SetAction(parse => io.Guard(() =>
        {
            if (parse.GetValue(threads) is int t) KernelThreads.Count = t;
            using var where = DeviceOption.Use(parse.GetValue(device));
            string name = parse.GetValue(model)!;
            ModelCatalog.Check(name);
            string? savePath = parse.GetValue(save), resumePath = parse.GetValue(resume);
            savePath ??= resumePath;
            if (SegmentationTraining.IsSegmentation(name))
            {
                // The U-Net's recipe where the command line is silent: 4 epochs of batch 16 (about 50 minutes for 20,000 scenes
                // on two cores), 5 % of the scenes to validate (docs/PERFORMANCE.md, "Segmentation").
                int unetEpochs = parse.GetResult(epochs) is { Implicit: false } ? parse.GetValue(epochs) : 4;
                int unetBatch = parse.GetResult(batchSize) is { Implicit: false } ? parse.GetValue(batchSize) : 16;
                return SegmentationTraining.Run(io, name, parse.GetValue(data), unetEpochs, unetBatch, parse.GetValue(seed),
                    fit.Read(parse, ModelCatalog.Recipe.Plain, defaultValidationSplit: 0.05, savePath), resumePath, parse.GetValue(verbose),
                    SegmentationTraining.ParseClassWeights(parse.GetValue(classWeight), resumePath));
            }
            if (parse.GetValue(classWeight) != null) throw new UsageException("--class-weight is for 'train unet' (one weight per mask class).");
            if (DetectionTraining.IsDetector(name))
            {
                // The detector's recipe where the command line is silent (docs/PERFORMANCE.md, "Detection").
                int detectorEpochs = parse.GetResult(epochs) is { Implicit: false } ? parse.GetValue(epochs) : 10;
                int detectorBatch = parse.GetResult(batchSize) is { Implicit: false } ? parse.GetValue(batchSize) : 16;
                return DetectionTraining.Run(io, name, parse.GetValue(data), detectorEpochs, detectorBatch, parse.GetValue(seed),
                    fit.Read(parse, ModelCatalog.RecipeFor(name), defaultValidationSplit: 0.05, savePath), resumePath, parse.GetValue(verbose));
            }
            bool transfer = name.Equals("transfer", StringComparison.OrdinalIgnoreCase);
            if (transfer && !DataOptions.IsImageFolder(parse.GetValue(data)))
                throw new UsageException("train transfer needs --data FOLDER with one subfolder of images per class.");
            if (!transfer && (parse.GetResult(baseModel) is { Implicit: false } || parse.GetResult(freezeBase) is { Implicit: false } || parse.GetValue(fineTuneFrom) != null))
                throw new UsageException("--base, --freeze-base and --fine-tune-from are for 'train transfer'.");
            if (DataOptions.IsImageFolder(parse.GetValue(data)))
                return ImageTraining.Run(io, name, new ImageTraining.Settings(parse.GetValue(data)!, parse.GetValue(imageSize),
                    parse.GetValue(colorMode), parse.GetValue(augment), parse.GetValue(failOnBadFile),
                    parse.GetValue(batchSize), parse.GetValue(seed), parse.GetValue(epochs),
                    fit.Read(parse, ModelCatalog.Recipe.Plain, defaultValidationSplit: 0.2, savePath), resumePath, parse.GetValue(verbose),
                    transfer ? TransferTraining.Builder(io, parse.GetValue(baseModel)!, parse.GetValue(freezeBase), parse.GetValue(fineTuneFrom)) : null));
            // What the command line leaves unsaid comes from the model's recipe.
            var recipe = ModelCatalog.RecipeFor(name);
            var choices = fit.Read(parse, recipe, defaultValidationSplit: 0, savePath);
            bool augmented = parse.GetResult(augment) is { Implicit: false } ? parse.GetValue(augment) : recipe.Augment;
            var (train, test) = DataOptions.Load(parse.GetValue(data));
            var validation = HoldOut(ref train, choices.ValidationSplit);
            int totalEpochs = parse.GetValue(epochs), batch = parse.GetValue(batchSize);
            if (batch > train.Count)
                throw new UsageException($"--batch-size {batch} is more than the {train.Count} training images; use at most {train.Count}.");
            Model net;
            if (resumePath != null)
            {
                net = Model.Load(resumePath);
                CheckResumable(net, resumePath, name, train.X.ShapeArray[1..], train.Y.Dim(1), totalEpochs);
                choices.AdoptResumedOptimizer(net, resumePath);
                io.Out.WriteLine(Resuming(resumePath, net));
            }
            else
            {
                RandomSeed.Set(parse.GetValue(seed));
                net = ModelCatalog.Build(name, train.X.ShapeArray[1..], train.Y.Dim(1));
                net.ClassNames = train.ClassNames;
                net.Compile(ModelCatalog.LossFor(net), choices.CreateOptimizer(), [Metric.Accuracy]);
            }
            TrainingMemory.Check(net, name, batch);
            io.Out.WriteLine($"Training {name}: {totalEpochs} epochs of batch {batch}, {choices.DescribeOptimizer(net)}"
                + (augmented ? $", random shifts of up to {parse.GetValue(maxShift)} px{(IsDigits(train) ? "" : " and flips")}" : "") + ".");
            io.Out.WriteLine(validation == null
                ? $"Training on all {train.Count} training images; the {test.Count} test images are kept for the final line (--validation-split to watch a held-out part)."
                : $"Validating on the last {validation.Count} training images (--validation-split {choices.ValidationSplit.ToString(CultureInfo.InvariantCulture)}), training on {train.Count}; the {test.Count} test images are kept for the final line.");
            var callbacks = choices.Callbacks(totalEpochs, resuming: resumePath != null);
            var clock = Stopwatch.StartNew();
            var options = new FitOptions
            {
                BatchSize = batch,
                Epochs = totalEpochs,
                InitialEpoch = net.CompletedEpochs,
                InitialStep = net.CompletedSteps,
                Verbose = parse.GetValue(verbose),
                ValidationData = validation,
                Callbacks = callbacks,
                Output = io.Out == Console.Out ? null : io.Out,
            };
            var history = augmented
                ? net.Fit(AugmentedTrainingData(train, options.BatchSize, parse.GetValue(maxShift), net.Seed), options)
                : net.Fit(train.X, train.Y, options);
            ReportTraining(io, history, clock, $"{train.Count} training images, {KernelThreads.Count} threads, device {where.Device}");
            choices.Report(io, net, history, callbacks);
            var result = net.Evaluate(test.X, test.Y, 256);
            io.Out.WriteLine($"Test accuracy: {result["accuracy"].ToString("F4", CultureInfo.InvariantCulture)}");
            return 0;
        }));
        return command;
    }

    /// <summary>Keras's validation_split: the last <paramref name="fraction"/> of the samples (before shuffling) become the validation data.</summary>
    private static Dataset? HoldOut(ref Dataset train, double fraction)
    {
        int held = (int)(train.Count * fraction);
        if (fraction > 0 && (held == 0 || held == train.Count))
            throw new UsageException($"--validation-split {fraction.ToString(CultureInfo.InvariantCulture)} of {train.Count} training images leaves {(held == 0 ? "nothing to validate on" : "nothing to train on")}.");
        if (held == 0) return null;
        int kept = train.Count - held;
        var validation = new Dataset(train.X.Slice(kept, held), train.Y.Slice(kept, held)) { ClassNames = train.ClassNames };
        train = new Dataset(train.X.Slice(0, kept), train.Y.Slice(0, kept)) { ClassNames = train.ClassNames };
        return validation;
    }

    /// <summary>The last epoch's training loss and the wall time, as every training run of the CLI ends.</summary>
    internal static void ReportTraining(ConsoleIO io, History history, Stopwatch clock, string what)
    {
        if (history.Values.TryGetValue("loss", out var losses) && losses.Count > 0)
            io.Out.WriteLine($"Final training loss: {LossText.Of(losses[^1])}");
        io.Out.WriteLine($"Training time: {clock.Elapsed.TotalSeconds:F1}s ({what})");
    }

    private static bool IsDigits(Dataset data) => data.ClassNames?.SequenceEqual(Mnist.ClassNames) ?? false;

    /// <summary>--threads, shared by the commands that compute: at most the machine's cores (more only slows the kernels down).</summary>
    internal static Option<int?> ThreadsOption() =>
        new Option<int?>("--threads") { Description = $"Worker threads (default: all {Environment.ProcessorCount} cores)." }
            .Range(1, Environment.ProcessorCount, "the cores of this machine");

    /// <summary>
    /// A checkpoint can continue when it holds an optimizer, is the model the command names (the same layers and weight
    /// shapes as <paramref name="name"/> built for this data) and has epochs left before <paramref name="totalEpochs"/>.
    /// </summary>
    internal static void CheckResumable(Model net, string path, string name, int[] inputShape, int classes, int totalEpochs)
    {
        if (net.Optimizer == null) throw new InvalidDataException($"{path}: the model was saved without an optimizer; it cannot resume training.");
        if (Architecture(net) != Architecture(ModelCatalog.Build(name, inputShape, classes)))
            throw new UsageException($"--resume {path} holds a different network than '{name}' for this data (its layers or weight shapes differ); name the model it was trained as.");
        if (net.CompletedEpochs >= totalEpochs)
            throw new UsageException($"--resume {path} has already completed {net.CompletedEpochs} epoch(s), and --epochs {totalEpochs} is the total: nothing left to train (raise --epochs).");
    }

    /// <summary>"Resuming F after epoch 2." or, for a checkpoint saved inside an epoch, "Resuming F after step 40 of epoch 3."</summary>
    internal static string Resuming(string path, Model net) => net.CompletedSteps > 0
        ? $"Resuming {path} after step {net.CompletedSteps} of epoch {net.CompletedEpochs + 1}."
        : $"Resuming {path} after epoch {net.CompletedEpochs}.";

    /// <summary>Layer types and weight paths with shapes: equal for the same network built for the same data.</summary>
    private static string Architecture(Model m) =>
        string.Join(";", m.Layers.Select(l => l.TypeName)) + "|" + string.Join(";", m.Weights.Select(w => w.Path + ShapeText.Of(w.Shape)));

    /// <summary>The checkpoint callback saves after every epoch; the end of training saves once more (so "Saved:" is always true) and says where.</summary>
    internal static void ReportSaved(ConsoleIO io, Model net, string? savePath)
    {
        if (savePath == null) return;
        net.Save(savePath);
        io.Out.WriteLine($"Saved: {savePath}");
    }

    /// <summary>Shuffled batches of (x, y) with random shifts of up to <paramref name="maxShift"/> pixels and, unless the classes are the digits, horizontal flips.</summary>
    private static AugmentedBatchSource AugmentedTrainingData(Dataset train, int batchSize, int maxShift, int seed)
    {
        var shuffled = new ArrayBatchSource(train.X, train.Y, batchSize, shuffle: true, seed: RandomSeed.Derive(seed, 1_000_003));
        return new AugmentedBatchSource(shuffled, maxShift, horizontalFlip: !IsDigits(train), seed: RandomSeed.Derive(seed, 1_000_033));
    }
}
