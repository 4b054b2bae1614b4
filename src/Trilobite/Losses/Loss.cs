using Trilobite.Autograd.Ops;
using Trilobite.Losses;

namespace Trilobite;

/// <summary>
/// A training objective: a scalar, averaged over the batch, computed from the model's output and the
/// targets. Probability outputs produced by a softmax (or sigmoid) layer are handled by the fused,
/// numerically stable logits kernel on that layer's input — the same value, computed safely.
/// </summary>
public abstract class Loss
{
    /// <summary>Cross-entropy against one-hot (or probability) targets of shape (N, C).</summary>
    public static Loss CategoricalCrossentropy => new CategoricalCrossentropy();

    /// <summary>Cross-entropy against integer class labels of shape (N) or (N, 1).</summary>
    public static Loss SparseCategoricalCrossentropy => new SparseCategoricalCrossentropy();

    /// <summary>Cross-entropy for yes/no targets in [0, 1].</summary>
    public static Loss BinaryCrossentropy => new BinaryCrossentropy();

    /// <summary>Mean of squared differences.</summary>
    public static Loss MeanSquaredError => new MeanSquaredError();

    /// <summary>Keras's name: "categorical_crossentropy", …</summary>
    public abstract string Name { get; }

    /// <summary>True when the model's outputs are raw scores (logits) rather than probabilities.</summary>
    public bool FromLogits { get; init; }

    /// <summary>The batch loss as a scalar tensor (differentiable in <paramref name="prediction"/>).</summary>
    public abstract Tensor Compute(Tensor prediction, Tensor target);

    /// <summary>Looks a loss up by its Keras name ("mse" and "crossentropy" aliases accepted).</summary>
    public static Loss FromName(string name, bool fromLogits = false) => name switch
    {
        "categorical_crossentropy" => new CategoricalCrossentropy { FromLogits = fromLogits },
        "sparse_categorical_crossentropy" => new SparseCategoricalCrossentropy { FromLogits = fromLogits },
        "binary_crossentropy" => new BinaryCrossentropy { FromLogits = fromLogits },
        "mean_squared_error" or "mse" => new MeanSquaredError(),
        _ => throw new ArgumentException($"Unknown loss '{name}'. Known: categorical_crossentropy, sparse_categorical_crossentropy, binary_crossentropy, mean_squared_error."),
    };

    protected static void CheckSameLength(Tensor prediction, Tensor target, string lossName)
    {
        if (prediction.Length != target.Length)
            throw new ArgumentException($"{lossName}: the model's output has shape {ShapeText.Of(prediction.Shape)} but the targets have shape {ShapeText.Of(target.Shape)}. " +
                (lossName.Contains("categorical", StringComparison.Ordinal) ? "For integer labels use SparseCategoricalCrossentropy; for one-hot labels use CategoricalCrossentropy." : ""));
    }

    /// <summary>The logits behind a probability output, when the output came straight from a softmax/sigmoid op.</summary>
    protected static Tensor? LogitsBehind<TOp>(Tensor probabilities) where TOp : Autograd.Op =>
        probabilities.Creator is TOp op ? op.Inputs[0] : null;

    /// <summary>log(clip(p)) for probabilities without a recorded softmax/sigmoid: −log of a clipped p, as Keras (ε = 1e-7).</summary>
    protected static Tensor SafeLog(Tensor p) => (p + 1e-7f).Log();

    private protected static Tensor Sparse(Tensor logits, Tensor target)
    {
        int rows = logits.Length / logits.Dim(-1);
        if (target.Length != rows)
            throw new ArgumentException($"sparse_categorical_crossentropy: {rows} predictions but {target.Length} labels (targets of shape {ShapeText.Of(target.Shape)}). For one-hot labels use CategoricalCrossentropy.");
        return LossOp.SparseSoftmaxCrossEntropy(logits, target);
    }
}
