using Trilobite.Autograd.Ops;
using Trilobite.Kernels;

namespace Trilobite.Losses;

/// <summary>−Σ t·log p per row (the last axis), as Keras: logits through log-softmax; probabilities divided by their row sum and clipped.</summary>
public sealed class CategoricalCrossentropy : Loss
{
    /// <inheritdoc/>
    public override string Name => "categorical_crossentropy";

    /// <summary>−Σ t·log p over the last axis, one value per row; throws <see cref="ArgumentException"/> when prediction and target differ in length.</summary>
    public override Tensor PerSample(Tensor prediction, Tensor target)
    {
        CheckSameLength(prediction, target, Name);
        target = target.Reshape(prediction.ShapeArray);     // same values in another shape must not broadcast
        var logits = FromLogits ? prediction : LogitsBehind<SoftmaxOp>(prediction);
        if (logits != null) return RowCrossEntropy(target, logits.LogSoftmax());
        return RowCrossEntropy(target, Clipped(prediction / prediction.Sum(-1, keepDims: true)).Log());
    }

    /// <summary>The fused softmax cross-entropy kernel on the logits (given, or behind a softmax output); null for other probabilities.</summary>
    protected override Tensor? Fused(Tensor prediction, Tensor target)
    {
        CheckSameLength(prediction, target, Name);
        var logits = FromLogits ? prediction : LogitsBehind<SoftmaxOp>(prediction);
        return logits == null ? null : LossOp.SoftmaxCrossEntropy(logits, target);
    }
}

/// <summary>
/// Categorical cross-entropy with integer labels: (N) or (N, 1), or per pixel (N, H, W) or (N, H, W, 1). With
/// <see cref="ClassWeights"/> each value is weighted by its label's class weight (a class-weight map for per-pixel
/// targets), as Keras's <c>class_weight</c> turns labels into sample weights: the default reduction still divides by
/// the number of values.
/// </summary>
public sealed class SparseCategoricalCrossentropy : Loss
{
    private readonly float[]? classWeights;

    /// <inheritdoc/>
    public override string Name => "sparse_categorical_crossentropy";

    /// <summary>One weight per class (finite, 0 or more), or null for all 1; throws <see cref="ArgumentException"/> on a negative or non-finite weight.</summary>
    public float[]? ClassWeights
    {
        get => classWeights;
        init
        {
            if (value != null && Array.FindIndex(value, w => !float.IsFinite(w) || w < 0) is int bad and >= 0)
                throw new ArgumentException($"Class weight {bad} is {value[bad].ToString(System.Globalization.CultureInfo.InvariantCulture)}; class weights must be finite and 0 or more.");
            classWeights = value;
        }
    }

    /// <summary>The weight of each value's label: one-hot labels times the class weights, summed over the classes.</summary>
    protected override Tensor? TargetWeights(Tensor prediction, Tensor target)
    {
        if (classWeights == null) return null;
        if (classWeights.Length != prediction.Dim(-1))
            throw new ArgumentException($"{Name}: {classWeights.Length} class weights for a model with {prediction.Dim(-1)} classes; give one weight per class.");
        CheckLabels(prediction, target);
        var perClass = Tensor.FromArray(classWeights, [classWeights.Length], prediction.Device);
        return (Tensor.OneHot(target, classWeights.Length) * perClass).Sum(-1);
    }

    /// <summary>The categorical cross-entropy against the one-hot labels, one value per row; throws <see cref="ArgumentException"/> unless there is one label per row of the prediction.</summary>
    public override Tensor PerSample(Tensor prediction, Tensor target)
    {
        CheckLabels(prediction, target);
        var oneHot = Tensor.OneHot(target, prediction.Dim(-1)).Reshape(prediction.ShapeArray);
        var logits = FromLogits ? prediction : LogitsBehind<SoftmaxOp>(prediction);
        if (logits != null) return RowCrossEntropy(oneHot, logits.LogSoftmax());
        return RowCrossEntropy(oneHot, Clipped(prediction / prediction.Sum(-1, keepDims: true)).Log());
    }

    /// <summary>The fused sparse softmax cross-entropy kernel on the logits (given, or behind a softmax output); null for other probabilities.</summary>
    protected override Tensor? Fused(Tensor prediction, Tensor target)
    {
        CheckLabels(prediction, target);
        var logits = FromLogits ? prediction : LogitsBehind<SoftmaxOp>(prediction);
        return logits == null ? null : LossOp.SparseSoftmaxCrossEntropy(logits, target);
    }

    private void CheckLabels(Tensor prediction, Tensor target)
    {
        int rows = prediction.Length / Math.Max(1, prediction.Dim(-1));
        if (target.Length != rows)
            throw new ArgumentException($"{Name}: {rows} predictions but {target.Length} labels (targets of shape {ShapeText.Of(target.Shape)}). For one-hot labels use CategoricalCrossentropy.");
    }
}

/// <summary>−[t·log p + (1 − t)·log(1 − p)] averaged over the last axis: logits through the stable softplus form, probabilities clipped.</summary>
public sealed class BinaryCrossentropy : Loss
{
    /// <inheritdoc/>
    public override string Name => "binary_crossentropy";

    /// <summary>The binary cross-entropy averaged over the last axis (for logits softplus(z) − t·z); throws <see cref="ArgumentException"/> when prediction and target differ in length.</summary>
    public override Tensor PerSample(Tensor prediction, Tensor target)
    {
        CheckSameLength(prediction, target, Name);
        target = target.Reshape(prediction.ShapeArray);     // same values in another shape must not broadcast
        var logits = FromLogits ? prediction : LogitsBehind<ElementwiseOp<SigmoidOperator>>(prediction);
        if (logits != null)
        {
            // −[t·log σ(z) + (1 − t)·log(1 − σ(z))] = softplus(z) − t·z.
            return (logits.Softplus() - target * logits).Mean(-1);
        }
        var q = Clipped(prediction);
        return -(target * q.Log() + (1f - target) * (1f - q).Log()).Mean(-1);
    }

    /// <summary>The fused sigmoid binary cross-entropy kernel on the logits (given, or behind a sigmoid output); null for other probabilities.</summary>
    protected override Tensor? Fused(Tensor prediction, Tensor target)
    {
        CheckSameLength(prediction, target, Name);
        var logits = FromLogits ? prediction : LogitsBehind<ElementwiseOp<SigmoidOperator>>(prediction);
        return logits == null ? null : LossOp.SigmoidBinaryCrossEntropy(logits, target);
    }
}

/// <summary>Mean of (prediction − target)² over the last axis.</summary>
public sealed class MeanSquaredError : Loss
{
    /// <inheritdoc/>
    public override string Name => "mean_squared_error";

    /// <summary>Mean of (prediction − target)² over the last axis, the target reshaped to the prediction's shape; throws <see cref="ArgumentException"/> when they differ in length.</summary>
    public override Tensor PerSample(Tensor prediction, Tensor target)
    {
        CheckSameLength(prediction, target, Name);
        var d = prediction - target.Reshape(prediction.ShapeArray);
        return (d * d).Mean(-1);
    }

    /// <summary>The fused mean-squared-error kernel (there is one for every operand).</summary>
    protected override Tensor? Fused(Tensor prediction, Tensor target)
    {
        CheckSameLength(prediction, target, Name);
        return LossOp.MeanSquaredError(prediction, target);
    }
}
