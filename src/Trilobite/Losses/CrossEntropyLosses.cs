using Trilobite.Autograd.Ops;
using Trilobite.Kernels;

namespace Trilobite.Losses;

/// <summary>−Σ t·log p averaged over rows; from a softmax output the fused logits kernel is used.</summary>
public sealed class CategoricalCrossentropy : Loss
{
    public override string Name => "categorical_crossentropy";

    public override Tensor Compute(Tensor prediction, Tensor target)
    {
        CheckSameLength(prediction, target, Name);
        // softmax(log p) = p / Σp, so log-probabilities fed to the fused kernel give Keras's normalised cross-entropy.
        var logits = FromLogits ? prediction : LogitsBehind<SoftmaxOp>(prediction) ?? SafeLog(prediction);
        return LossOp.SoftmaxCrossEntropy(logits, target);
    }
}

/// <summary>Categorical cross-entropy with integer labels (N) or (N, 1).</summary>
public sealed class SparseCategoricalCrossentropy : Loss
{
    public override string Name => "sparse_categorical_crossentropy";

    public override Tensor Compute(Tensor prediction, Tensor target)
    {
        var logits = FromLogits ? prediction : LogitsBehind<SoftmaxOp>(prediction) ?? SafeLog(prediction);
        return Sparse(logits, target);
    }
}

/// <summary>−[t·log p + (1 − t)·log(1 − p)] averaged over all elements; from a sigmoid output the stable logits form is used.</summary>
public sealed class BinaryCrossentropy : Loss
{
    public override string Name => "binary_crossentropy";

    public override Tensor Compute(Tensor prediction, Tensor target)
    {
        CheckSameLength(prediction, target, Name);
        if (FromLogits) return LossOp.SigmoidBinaryCrossEntropy(prediction, target);
        var logits = LogitsBehind<ElementwiseOp<SigmoidOperator>>(prediction);
        if (logits != null) return LossOp.SigmoidBinaryCrossEntropy(logits, target);
        // logit(p) = log p − log(1 − p), with p clipped away from 0 and 1.
        return LossOp.SigmoidBinaryCrossEntropy(SafeLog(prediction) - SafeLog(1f - prediction), target);
    }
}

/// <summary>Mean of (prediction − target)² over all elements.</summary>
public sealed class MeanSquaredError : Loss
{
    public override string Name => "mean_squared_error";

    public override Tensor Compute(Tensor prediction, Tensor target)
    {
        CheckSameLength(prediction, target, Name);
        return LossOp.MeanSquaredError(prediction, target);
    }
}
