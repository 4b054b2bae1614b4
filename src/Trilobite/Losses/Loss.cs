using Trilobite.Autograd.Ops;
using Trilobite.Losses;

namespace Trilobite;

/// <summary>
/// A training objective, as Keras's <c>Loss</c>: <see cref="PerSample"/> gives one value per sample (per pixel for
/// per-pixel targets), and <see cref="Compute"/> weights them by an optional sample weight and reduces them
/// (<see cref="Reduction"/>, by default the mean). Probability outputs produced by a softmax (or sigmoid) op are scored
/// through the logits behind them — the value Keras's TensorFlow backend computes, without saturating. Other
/// probabilities are clipped to [ε, 1 − ε], ε = 10⁻⁷ (after dividing categorical rows by their sum), as Keras does, so a
/// saturated probability passes no gradient. The default reduction without weights runs one fused kernel.
/// </summary>
public abstract class Loss
{
    /// <summary>Keras's fuzz factor, <c>keras.backend.epsilon()</c>.</summary>
    public const float Epsilon = 1e-7f;

    /// <summary>Cross-entropy against one-hot (or probability) targets of shape (N, C).</summary>
    public static Loss CategoricalCrossentropy => new CategoricalCrossentropy();

    /// <summary>Cross-entropy against integer class labels of shape (N) or (N, 1).</summary>
    public static Loss SparseCategoricalCrossentropy => new SparseCategoricalCrossentropy();

    /// <summary>Cross-entropy for yes/no targets in [0, 1].</summary>
    public static Loss BinaryCrossentropy => new BinaryCrossentropy();

    /// <summary>Mean of squared differences.</summary>
    public static Loss MeanSquaredError => new MeanSquaredError();

    /// <summary>Keras's Dice loss, 1 − 2Σyp / (Σy + Σp + 1e-7) over the whole batch (see <see cref="Losses.Dice"/>).</summary>
    public static Loss Dice => new Dice();

    /// <summary>The capsule network's margin loss on capsule lengths (see <see cref="Losses.MarginLoss"/>).</summary>
    public static Loss Margin => new MarginLoss();

    /// <summary>Keras's name: "categorical_crossentropy", …</summary>
    public abstract string Name { get; }

    /// <summary>True when the model's outputs are raw scores (logits) rather than probabilities.</summary>
    public bool FromLogits { get; init; }

    /// <summary>How per-sample values become the loss (Keras's <c>reduction</c>); sum_over_batch_size by default.</summary>
    public LossReduction Reduction { get; init; }

    /// <summary>Per-sample losses (Keras's <c>call</c>): the prediction's shape without its last axis, differentiable in the prediction.</summary>
    public abstract Tensor PerSample(Tensor prediction, Tensor target);

    /// <summary>
    /// The loss: per-sample values times <paramref name="sampleWeight"/> (shaped like them, or one weight per sample),
    /// reduced by <see cref="Reduction"/>. A scalar tensor on the prediction's device, except for <see cref="LossReduction.None"/>.
    /// </summary>
    public Tensor Compute(Tensor prediction, Tensor target, Tensor? sampleWeight = null)
    {
        var classWeights = TargetWeights(prediction, target);
        if (sampleWeight == null && classWeights == null && Reduction is LossReduction.SumOverBatchSize or LossReduction.MeanWithSampleWeight && Fused(prediction, target) is { } fused)
            return fused;
        var values = PerSample(prediction, target);
        Tensor? weights = null;
        if (sampleWeight != null) weights = MatchWeights(sampleWeight, values);
        if (classWeights != null) weights = weights == null ? classWeights.Reshape(values.ShapeArray) : weights * classWeights.Reshape(values.ShapeArray);
        if (weights != null) values *= weights;
        return Reduction switch
        {
            LossReduction.None => values,
            LossReduction.Sum => values.Sum(),
            LossReduction.MeanWithSampleWeight when weights != null => values.Sum() / NoZero((weights * Tensor.Ones(values.ShapeArray, values.Device)).Sum()),
            _ => values.Sum() * (1f / Math.Max(1, values.Length)),
        };
    }

    /// <summary>
    /// Keras divides by the weight sum with <c>divide_no_nan</c>: a batch whose weights are all zero has loss 0, not 0/0.
    /// Its weighted values are all zero then, so dividing by the smallest normal float instead of 0 gives exactly 0 (and
    /// zero gradients); any real (non-negative) weight sum is far above it.
    /// </summary>
    private static Tensor NoZero(Tensor weightSum) => weightSum.Clip(SmallestNormal, float.MaxValue);

    private const float SmallestNormal = 1.17549435e-38f;

    /// <summary>A weight per per-sample value read from the targets (a class's weight for its label), multiplied into any sample weight; null for none.</summary>
    protected virtual Tensor? TargetWeights(Tensor prediction, Tensor target) => null;

    /// <summary>The mean over the batch from one fused kernel, where there is one for these operands; null otherwise.</summary>
    protected virtual Tensor? Fused(Tensor prediction, Tensor target) => null;

    private static readonly System.Collections.Concurrent.ConcurrentDictionary<string, Func<Loss>> Registered = new();

    /// <summary>
    /// Makes a loss defined outside the core (a detector's) known to <see cref="FromName"/>, so that a model compiled with it
    /// loads again; its settings are the factory's. Throws <see cref="ArgumentException"/> for a built-in name.
    /// </summary>
    public static void Register(string name, Func<Loss> factory)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        ArgumentNullException.ThrowIfNull(factory);
        if (name is "categorical_crossentropy" or "sparse_categorical_crossentropy" or "binary_crossentropy" or "mean_squared_error" or "mse" or "dice" or "dice_per_class" or "margin" or "margin_official")
            throw new ArgumentException($"'{name}' is a built-in loss.", nameof(name));
        Registered[name] = factory;
    }

    /// <summary>Looks a loss up by its Keras name ("mse" and "crossentropy" aliases accepted), or a name given to <see cref="Register"/>.</summary>
    public static Loss FromName(string name, bool fromLogits = false, LossReduction reduction = LossReduction.SumOverBatchSize) => name switch
    {
        "categorical_crossentropy" => new CategoricalCrossentropy { FromLogits = fromLogits, Reduction = reduction },
        "sparse_categorical_crossentropy" => new SparseCategoricalCrossentropy { FromLogits = fromLogits, Reduction = reduction },
        "binary_crossentropy" => new BinaryCrossentropy { FromLogits = fromLogits, Reduction = reduction },
        "mean_squared_error" or "mse" => new MeanSquaredError { Reduction = reduction },
        "dice" => new Dice { Reduction = reduction },
        "dice_per_class" => new Dice { PerClass = true, Reduction = reduction },
        "margin" => new MarginLoss { Reduction = reduction },
        "margin_official" => new MarginLoss { OfficialNormalization = true, Reduction = reduction },
        _ when Registered.TryGetValue(name, out var factory) => factory(),
        _ => throw new ArgumentException($"Unknown loss '{Excerpt.Of(name)}'. Known: categorical_crossentropy, sparse_categorical_crossentropy, binary_crossentropy, mean_squared_error, dice, dice_per_class, margin, margin_official{string.Concat(Registered.Keys.Order().Select(k => ", " + k))} (a detector's loss is known once Trilobite.Vision is loaded)."),
    };

    /// <summary>Throws <see cref="ArgumentException"/> naming both shapes (and, for a categorical loss, which one fits integer or one-hot labels) when prediction and target hold different numbers of values.</summary>
    protected static void CheckSameLength(Tensor prediction, Tensor target, string lossName)
    {
        if (prediction.Length != target.Length)
            throw new ArgumentException($"{lossName}: the model's output has shape {ShapeText.Of(prediction.Shape)} but the targets have shape {ShapeText.Of(target.Shape)}. " +
                (lossName.Contains("categorical", StringComparison.Ordinal) ? "For integer labels use SparseCategoricalCrossentropy; for one-hot labels use CategoricalCrossentropy." : ""));
    }

    /// <summary>The logits behind a probability output, when the output came straight from a softmax/sigmoid op.</summary>
    protected static Tensor? LogitsBehind<TOp>(Tensor probabilities) where TOp : Autograd.Op =>
        probabilities.Creator is TOp op ? op.Inputs[0] : null;

    /// <summary>Probabilities clipped to [ε, 1 − ε], as Keras clips them before taking logarithms.</summary>
    protected static Tensor Clipped(Tensor p) => p.Clip(Epsilon, 1f - Epsilon);

    /// <summary>Per-row cross-entropy −Σ t·log q over the last axis.</summary>
    private protected static Tensor RowCrossEntropy(Tensor target, Tensor logProbabilities) => -(target * logProbabilities).Sum(-1);

    /// <summary>Sample weights as a tensor the per-sample values can be multiplied by: the same shape, or one weight per sample.</summary>
    private static Tensor MatchWeights(Tensor weights, Tensor values)
    {
        if (weights.Shape.SequenceEqual(values.Shape)) return weights;
        if (weights.Rank == values.Rank + 1 && weights.Dim(-1) == 1 && weights.Length == values.Length) return weights.Reshape(values.ShapeArray);
        if (values.Rank >= 1 && weights.Length == values.Dim(0) && weights.Rank <= 2)
            return weights.Reshape([values.Dim(0), .. Enumerable.Repeat(1, values.Rank - 1)]);
        throw new ArgumentException($"Sample weights of shape {ShapeText.Of(weights.Shape)} do not fit per-sample losses of shape {ShapeText.Of(values.Shape)}: give one weight per sample or one per value.");
    }
}
