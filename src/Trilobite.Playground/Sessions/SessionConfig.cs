using System.Globalization;
using System.Text.Json.Serialization;

namespace Trilobite.Playground.Sessions;

/// <summary>
/// Everything the playground page lets a learner choose. The wire format is this record in camelCase
/// JSON; missing members take these defaults (the page's defaults). <see cref="Validate"/> names the
/// first bad member and the range it must be in.
/// </summary>
public sealed record SessionConfig
{
    /// <summary>"circle", "xor", "gaussians" (or "gauss") or "spiral", case-insensitive; see <see cref="DatasetKind"/>.</summary>
    public string Dataset { get; init; } = "circle";
    /// <summary>How much noise blurs the classes, in [0, 0.5]: 0 gives cleanly separable data.</summary>
    public double Noise { get; init; }
    /// <summary>Fraction of the 500 points used for training, in [0.1, 0.9]; the rest are the test set.</summary>
    public double TrainRatio { get; init; } = 0.5;
    /// <summary>Seeds the data, the initial weights and the shuffling, so a configuration replays exactly.</summary>
    public int Seed { get; init; } = 1;
    /// <summary>Input features by wire name (<see cref="InputFeature.Names"/>): at least one, each at most once.</summary>
    public string[] Features { get; init; } = ["x1", "x2"];
    /// <summary>Neurons per hidden layer, input side first: 0 to <see cref="MaxHiddenLayers"/> layers of 1 to <see cref="MaxNeurons"/>.</summary>
    public int[] Hidden { get; init; } = [4, 2];
    /// <summary>Hidden-layer activation: "relu", "tanh", "sigmoid" or "linear", case-insensitive.</summary>
    public string Activation { get; init; } = "tanh";
    /// <summary>SGD learning rate, in [1e-5, 10]; changes live.</summary>
    public double LearningRate { get; init; } = 0.03;
    /// <summary>Kernel penalty: "none", "l1" or "l2", case-insensitive; changes live.</summary>
    public string Regularization { get; init; } = "none";
    /// <summary>Penalty strength λ, in [0, 10] (0 turns the penalty off); changes live.</summary>
    public double RegularizationRate { get; init; }
    /// <summary>Points per SGD step, in [1, 100] (capped at the training-set size); changes live.</summary>
    public int BatchSize { get; init; } = 10;

    /// <summary>Most hidden layers <see cref="Hidden"/> may list.</summary>
    public const int MaxHiddenLayers = 6;
    /// <summary>Most neurons in one hidden layer.</summary>
    public const int MaxNeurons = 8;

    /// <summary><see cref="Dataset"/> parsed; throws <see cref="ArgumentException"/> for an unknown name.</summary>
    [JsonIgnore]
    public ToyDatasetKind DatasetKind => Dataset.ToLowerInvariant() switch
    {
        "circle" => ToyDatasetKind.Circle,
        "xor" => ToyDatasetKind.Xor,
        "gauss" or "gaussians" => ToyDatasetKind.Gaussians,
        "spiral" => ToyDatasetKind.Spiral,
        _ => throw new ArgumentException($"Unknown dataset '{Excerpt.Of(Dataset, 40)}'. Known: circle, xor, gaussians, spiral."),
    };

    /// <summary><see cref="Activation"/> parsed; throws <see cref="ArgumentException"/> for an unknown name.</summary>
    [JsonIgnore]
    public Activation ActivationKind => Activation.ToLowerInvariant() switch
    {
        "relu" => Trilobite.Activation.ReLU,
        "tanh" => Trilobite.Activation.Tanh,
        "sigmoid" => Trilobite.Activation.Sigmoid,
        "linear" => Trilobite.Activation.Linear,
        _ => throw new ArgumentException($"Unknown activation '{Excerpt.Of(Activation, 40)}'. Known: relu, tanh, sigmoid, linear."),
    };

    /// <summary>0 = none, 1 = L1, 2 = L2.</summary>
    [JsonIgnore]
    public int RegularizationKind => Regularization.ToLowerInvariant() switch
    {
        "none" or "" => 0,
        "l1" => 1,
        "l2" => 2,
        _ => throw new ArgumentException($"Unknown regularization '{Excerpt.Of(Regularization, 40)}'. Known: none, l1, l2."),
    };

    /// <summary>Throws <see cref="ArgumentException"/> describing the first value missing or out of range.</summary>
    public void Validate()
    {
        // Valid JSON may still say "dataset": null; each member is checked before it is read.
        Present(nameof(Dataset), Dataset);
        Present(nameof(Activation), Activation);
        Present(nameof(Regularization), Regularization);
        Present(nameof(Features), Features);
        Present(nameof(Hidden), Hidden);
        _ = DatasetKind;
        _ = ActivationKind;
        _ = RegularizationKind;
        Range(nameof(Noise), Noise, 0, 0.5);
        Range(nameof(TrainRatio), TrainRatio, 0.1, 0.9);
        Range(nameof(LearningRate), LearningRate, 1e-5, 10);
        Range(nameof(RegularizationRate), RegularizationRate, 0, 10);
        if (Features.Length == 0) throw new ArgumentException("features: choose at least one input feature.");
        if (Features.Length > InputFeature.Names.Count || Features.Distinct().Count() != Features.Length)
            throw new ArgumentException($"features: each of the {InputFeature.Names.Count} features may be chosen once; got {Features.Length} entries.");
        foreach (var f in Features)
            if (f is null || !InputFeature.IsKnown(f)) throw new ArgumentException($"features: unknown feature '{Excerpt.Of(f, 40)}'. Known: {string.Join(", ", InputFeature.Names)}.");
        if (Hidden.Length > MaxHiddenLayers)
            throw new ArgumentException($"hidden: 0 to {MaxHiddenLayers} hidden layers, got {Hidden.Length.ToString(CultureInfo.InvariantCulture)}.");
        foreach (int h in Hidden)
            if (h < 1 || h > MaxNeurons) throw new ArgumentException($"hidden: each layer has 1 to {MaxNeurons} neurons, got {h}.");
        if (BatchSize < 1 || BatchSize > 100) throw new ArgumentException($"batchSize must be in [1, 100], got {BatchSize}.");
    }

    private static void Present(string name, object? value)
    {
        if (value is null) throw new ArgumentException($"{char.ToLowerInvariant(name[0])}{name[1..]} must not be null (leave it out for the default).");
    }

    private static void Range(string name, double value, double low, double high)
    {
        if (double.IsNaN(value) || value < low || value > high)
            throw new ArgumentException($"{char.ToLowerInvariant(name[0])}{name[1..]} must be in [{low.ToString(CultureInfo.InvariantCulture)}, {high.ToString(CultureInfo.InvariantCulture)}], got {value.ToString(CultureInfo.InvariantCulture)}.");
    }
}
