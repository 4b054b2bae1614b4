namespace Trilobite.Losses;

/// <summary>
/// Keras 3's Dice loss for segmentation: 1 − 2·Σ(y·p) / (Σy + Σp + 1e-7), the sums over every value of the batch (Keras's
/// default <c>axis=None</c>), so one number per batch rather than per sample. With <see cref="PerClass"/> the soft Dice
/// is taken for each class (the last axis) over the batch and averaged: small classes count as much as the background.
/// Targets are one-hot (or, for one class, 0/1) with the prediction's shape; sample weights do not apply.
/// </summary>
public sealed class Dice : Loss
{
    /// <inheritdoc/>
    public override string Name => PerClass ? "dice_per_class" : "dice";

    /// <summary>Average the Dice of each class (the last axis) instead of pooling every value.</summary>
    public bool PerClass { get; init; }

    /// <summary>The batch's Dice loss as a one-value tensor; throws <see cref="ArgumentException"/> when prediction and target differ in length.</summary>
    public override Tensor PerSample(Tensor prediction, Tensor target)
    {
        CheckSameLength(prediction, target, Name);
        target = target.Reshape(prediction.ShapeArray);
        if (!PerClass)
            return (1f - 2f * (target * prediction).Sum() / (target.Sum() + prediction.Sum() + Epsilon)).Reshape(1);
        int classes = prediction.Dim(-1);
        var p = prediction.Reshape(-1, classes);
        var t = target.Reshape(-1, classes);
        var perClass = 2f * (t * p).Sum(0) / (t.Sum(0) + p.Sum(0) + Epsilon);     // (classes)
        return (1f - perClass.Mean()).Reshape(1);
    }
}
