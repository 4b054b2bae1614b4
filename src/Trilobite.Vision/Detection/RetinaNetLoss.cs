namespace Trilobite.Vision.Detection;

/// <summary>
/// RetinaNet's training loss, as torchvision computes it, one value per image: the sigmoid focal loss (α = 0.25, γ = 2)
/// summed over every anchor that is not ignored and every class, plus the L1 loss of the box deltas summed over the
/// foreground anchors, both divided by the image's number of foreground anchors (at least 1). The batch loss is their
/// mean. Predictions are (N, anchors, K + 4) logits and deltas; targets are <see cref="AnchorTargets"/> rows (N, anchors, K + 5).
/// </summary>
public sealed class RetinaNetLoss : Loss
{
    /// <summary>The name a saved model records.</summary>
    public const string LossName = "retinanet_loss";

    /// <inheritdoc/>
    public override string Name => LossName;

    /// <summary>The focal and the box part per image, each already divided by the image's foreground anchors.</summary>
    public static (Tensor Classification, Tensor Box) Parts(Tensor prediction, Tensor target)
    {
        if (prediction.Rank != 3 || target.Rank != 3 || prediction.Dim(0) != target.Dim(0) || prediction.Dim(1) != target.Dim(1) || target.Dim(2) != prediction.Dim(2) + 1)
            throw new ArgumentException($"{LossName}: predictions (N, anchors, K + 4) need targets (N, anchors, K + 5), got {ShapeText.Of(prediction.Shape)} and {ShapeText.Of(target.Shape)}.");
        int n = prediction.Dim(0), anchors = prediction.Dim(1), classes = prediction.Dim(2) - 4;
        var state = target.Columns(classes + 4, 1);
        var foreground = state.Relu();                          // 1 for foreground, else 0
        var counted = 1f - (-state).Relu();                     // 0 for ignored (−1), else 1
        var perImage = foreground.Reshape(n, anchors).Sum(1).Clip(1, float.MaxValue);
        var focal = DetectionLosses.SigmoidFocal(prediction.Columns(0, classes), target.Columns(0, classes)) * counted;
        var box = DetectionLosses.L1(prediction.Columns(classes, 4), target.Columns(classes, 4)) * foreground;
        return (focal.Reshape(n, anchors * classes).Sum(1) / perImage, box.Reshape(n, anchors * 4).Sum(1) / perImage);
    }

    /// <summary>Classification plus box loss, one value per image.</summary>
    public override Tensor PerSample(Tensor prediction, Tensor target)
    {
        var (classification, box) = Parts(prediction, target);
        return classification + box;
    }
}

/// <summary>One part of <see cref="RetinaNetLoss"/> as a metric, so that training reports "classification_loss" and "box_loss" beside the total.</summary>
public sealed class RetinaNetLossPart : MeanMetric
{
    private readonly bool _box;

    /// <summary>The box part when <paramref name="box"/>, else the classification (focal) part.</summary>
    public RetinaNetLossPart(bool box) => _box = box;

    /// <inheritdoc/>
    public override string Name => _box ? "box_loss" : "classification_loss";

    /// <summary>The batch's mean part, computed again from the predictions.</summary>
    protected override Tensor BatchMean(Tensor prediction, Tensor target)
    {
        var (classification, box) = RetinaNetLoss.Parts(prediction, target);
        return (_box ? box : classification).Mean();
    }
}
