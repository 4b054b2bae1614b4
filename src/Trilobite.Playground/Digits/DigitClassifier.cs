using System.Globalization;
using Microsoft.Extensions.Options;
using Trilobite.Autograd;
using Trilobite.Data;
using Trilobite.Layers;

namespace Trilobite.Playground.Digits;

/// <summary>
/// The draw-a-digit model: loaded from <see cref="PlaygroundOptions.ModelPath"/>, or the lecture's
/// LeNet-inspired CNN trained in the background at start-up on the shipped MNIST sample while the
/// page shows the progress. The model is shared by every user; one lock serialises its use
/// (an inference takes milliseconds), and Grad-CAM's gradients never outlive the call.
/// </summary>
public sealed class DigitClassifier(IOptions<PlaygroundOptions> options, ILogger<DigitClassifier> logger) : BackgroundService
{
    private readonly object _modelGate = new();
    private Model? _model;
    private volatile DigitStatus _status = new("loading", 0, "Preparing the digit classifier…", null);

    /// <summary>Where the classifier stands now (loading, training, ready or failed), for the page's progress display.</summary>
    public DigitStatus Status => _status;

    /// <summary>Installs a model directly (tests, or a host that trains elsewhere).</summary>
    public void Use(Model model, double? testAccuracy = null)
    {
        Validate(model, "The model");
        lock (_modelGate) _model = model;
        _status = new DigitStatus("ready", 1, "Ready: draw a digit.", testAccuracy);
    }

    /// <summary>Loads or trains the model on a long-running thread; failures end in a "failed" <see cref="Status"/> rather than an exception.</summary>
    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        Task.Factory.StartNew(() => Prepare(stoppingToken), stoppingToken, TaskCreationOptions.LongRunning, TaskScheduler.Default);

    private void Prepare(CancellationToken token)
    {
        if (_model != null) return;
        try
        {
            var o = options.Value;
            if (!string.IsNullOrEmpty(o.ModelPath))
            {
                _status = new DigitStatus("loading", 0, $"Loading {Path.GetFileName(o.ModelPath)}…", null);
                var model = Model.Load(o.ModelPath);
                Validate(model, $"The model in '{o.ModelPath}'");
                Use(model);
                return;
            }
            Train(o, token);
        }
        catch (OperationCanceledException) { }
        catch (Exception e) when (e is IOException or InvalidDataException or ArgumentException or InvalidOperationException or UnauthorizedAccessException)
        {
            logger.LogError("Digit classifier unavailable: {Message}", e.Message);
            _status = new DigitStatus("failed", 0, $"The digit classifier is unavailable: {e.Message}", null);
        }
    }

    private void Train(PlaygroundOptions o, CancellationToken token)
    {
        int epochs = Math.Clamp(o.TrainEpochs, 1, 50);
        _status = new DigitStatus("training", 0, "Loading the MNIST sample…", null);
        var (trainImages, testImages) = Mnist.LoadSample();
        var (train, test) = (trainImages.ToDataset(), testImages.ToDataset());
        var model = Zoo.LeNetKeras.Build();
        model.Reinitialize(o.Seed);
        model.Compile(Loss.CategoricalCrossentropy, new Adam(), [Metric.Accuracy]);
        const int batch = 128;
        int steps = (train.Count + batch - 1) / batch;
        var progress = new Progress(this, epochs, steps, token);
        model.Fit(train.X, train.Y, new FitOptions { BatchSize = batch, Epochs = epochs, Verbose = 0, Output = TextWriter.Null, Callbacks = [progress] });
        token.ThrowIfCancellationRequested();
        _status = new DigitStatus("training", 1, "Measuring accuracy on the 1,505 test digits…", null);
        double accuracy = model.Evaluate(test.X, test.Y, batch)["accuracy"];
        Use(model, accuracy);
        logger.LogInformation("LeNet trained for {Epochs} epoch(s): test accuracy {Accuracy:F4}", epochs, accuracy);
    }

    private sealed class Progress(DigitClassifier owner, int epochs, int steps, CancellationToken token) : Callback
    {
        private int _epoch;

        public override void OnEpochBegin(int epoch) => _epoch = epoch;

        public override void OnBatchEnd(int batch, IReadOnlyDictionary<string, double> logs)
        {
            if (token.IsCancellationRequested) Model.StopTraining = true;
            double done = (_epoch * steps + batch + 1) / (double)(epochs * steps);
            string accuracy = logs.TryGetValue("accuracy", out var a) ? a.ToString("F3", CultureInfo.InvariantCulture) : "?";
            owner._status = new DigitStatus("training", done,
                $"Training LeNet on the MNIST sample: epoch {_epoch + 1}/{epochs}, batch {batch + 1}/{steps}, accuracy so far {accuracy}", null);
        }
    }

    private static void Validate(Model model, string what)
    {
        if (!model.InputShape.SequenceEqual([28, 28, 1]) || !model.OutputShape.SequenceEqual([10]))
            throw new InvalidDataException($"{what} takes {ShapeText.WithBatch(model.InputShape)} and gives {ShapeText.WithBatch(model.OutputShape)}; the digit page needs (None, 28, 28, 1) → (None, 10).");
    }

    private Model Ready() => _model ?? throw new InvalidOperationException(_status.Message);

    /// <summary>Classifies a drawing (any size; made MNIST-like by <see cref="DigitImage.ToMnist"/>).</summary>
    public DigitPrediction Predict(float[] gray, int width, int height)
    {
        float[] input = DigitImage.ToMnist(gray, width, height);
        lock (_modelGate)
        {
            var model = Ready();
            using var scope = new TensorScope();
            using var _ = GradMode.NoGrad();
            return Prediction(model.Forward(Tensor.FromArray(input, [1, 28, 28, 1], model.Device)).ToArray(), input);
        }
    }

    private static DigitPrediction Prediction(float[] output, float[] input)
    {
        float[] p = output;
        if (p.Any(v => v < 0 || !float.IsFinite(v)) || Math.Abs(p.Sum() - 1) > 1e-3) p = Softmax(p);
        return new DigitPrediction(p, Enumerable.Range(0, p.Length).OrderByDescending(i => p[i]).ToArray(), input);
    }

    private static float[] Softmax(float[] z)
    {
        float max = z.Where(float.IsFinite).DefaultIfEmpty(0).Max();
        var e = z.Select(v => float.IsFinite(v) ? MathF.Exp(v - max) : 0f).ToArray();
        float sum = e.Sum();
        return e.Select(v => sum > 0 ? v / sum : 0.1f).ToArray();
    }

    /// <summary>Filters, activation maps and Grad-CAM for a drawing.</summary>
    public DigitInsight See(float[] gray, int width, int height, int? targetClass)
    {
        float[] input = DigitImage.ToMnist(gray, width, height);
        lock (_modelGate)
        {
            var model = Ready();
            if (model is not Sequential sequential)
                throw new InvalidOperationException("'What the network sees' needs a Sequential model (a plain stack of layers).");
            try { return NetworkView.Compute(sequential, input, targetClass, Prediction); }
            finally { foreach (var w in model.Weights) w.Value.ZeroGrad(); }
        }
    }
}
