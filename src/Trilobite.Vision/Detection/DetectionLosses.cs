using Trilobite.Autograd.Ops;

namespace Trilobite.Vision.Detection;

/// <summary>
/// The detectors' losses, differentiable on any device: sigmoid focal loss for the classifier (one fused op through the
/// backend seam), and L1, smooth-L1 and GIoU losses for the boxes (compositions of tensor ops). Each returns one value per
/// element (per box for GIoU); the detector sums them over the anchors that count and normalises.
/// </summary>
public static class DetectionLosses
{
    /// <summary>
    /// Sigmoid focal loss (Lin et al. 2017), as torchvision's <c>sigmoid_focal_loss</c>: αₜ·(1 − pₜ)^γ·BCE(logits, targets)
    /// per element, p = σ(logit), pₜ = p for a target of 1 and 1 − p for 0, αₜ = α or 1 − α likewise (no α weighting when
    /// α &lt; 0). The cross-entropy is the stable softplus(z) − t·z, so saturated logits give exact losses.
    /// Constant targets (anchor assignments) go through the fused <see cref="SigmoidFocalOp"/>; targets that need a
    /// gradient through the same formula composed of ops.
    /// </summary>
    public static Tensor SigmoidFocal(Tensor logits, Tensor targets, float alpha = 0.25f, float gamma = 2f)
    {
        SameShape(logits, targets, "focal loss");
        if (!(gamma >= 0) || !float.IsFinite(gamma)) throw new ArgumentOutOfRangeException(nameof(gamma), $"The focal loss's gamma must be 0 or more, got {gamma}.");
        return targets.RequiresGrad ? SigmoidFocalComposed(logits, targets, alpha, gamma) : SigmoidFocalOp.Apply(logits, targets, alpha, gamma);
    }

    /// <summary>The focal loss composed of differentiable ops, for targets that need a gradient too (and as the fused op's independent twin in tests).</summary>
    internal static Tensor SigmoidFocalComposed(Tensor logits, Tensor targets, float alpha, float gamma)
    {
        var crossEntropy = logits.Softplus() - targets * logits;
        var p = logits.Sigmoid();
        var missed = 1f - (p * targets + (1f - p) * (1f - targets));          // 1 − pₜ
        var loss = crossEntropy * Power(missed, gamma);
        if (alpha >= 0) loss *= alpha * targets + (1f - alpha) * (1f - targets);
        return loss;
    }

    /// <summary>|prediction − target| per element.</summary>
    public static Tensor L1(Tensor prediction, Tensor target)
    {
        SameShape(prediction, target, "L1 loss");
        return (prediction - target).Abs();
    }

    /// <summary>
    /// Smooth L1 (Huber divided by β), as torchvision's box losses: 0.5·d²/β where |d| &lt; β, |d| − 0.5·β elsewhere; plain L1
    /// for β = 0. Written as 0.5·m²/β + (|d| − m) with m = min(|d|, β), which is the same and differentiable everywhere.
    /// </summary>
    public static Tensor SmoothL1(Tensor prediction, Tensor target, float beta = 1f / 9)
    {
        SameShape(prediction, target, "smooth L1 loss");
        if (!(beta >= 0) || !float.IsFinite(beta)) throw new ArgumentOutOfRangeException(nameof(beta), $"Smooth L1's beta must be 0 or more, got {beta}.");
        var d = (prediction - target).Abs();
        if (beta == 0) return d;
        var m = d - (d - beta).Relu();                                           // min(|d|, β)
        return m * m * (0.5f / beta) + (d - m);
    }

    /// <summary>
    /// 1 − GIoU per box for boxes (…, 4) as [x1, y1, x2, y2], as torchvision's <c>generalized_box_iou_loss</c> (ε = 1e-7 in
    /// both denominators): 0 for a perfect box, up to 2 for one far from its target, with a gradient even when they do not overlap.
    /// </summary>
    public static Tensor GeneralizedIou(Tensor prediction, Tensor target)
    {
        SameShape(prediction, target, "GIoU loss");
        if (prediction.Dim(-1) != 4) throw new ArgumentException($"GIoU loss needs boxes (…, 4), got {ShapeText.Of(prediction.Shape)}.");
        Tensor C(Tensor t, int i) => t.Columns(i, 1);
        Tensor Max(Tensor a, Tensor b) => b + (a - b).Relu();
        Tensor Min(Tensor a, Tensor b) => a - (a - b).Relu();
        var (x1, y1, x2, y2) = (C(prediction, 0), C(prediction, 1), C(prediction, 2), C(prediction, 3));
        var (gx1, gy1, gx2, gy2) = (C(target, 0), C(target, 1), C(target, 2), C(target, 3));
        var intersection = (Min(x2, gx2) - Max(x1, gx1)).Relu() * (Min(y2, gy2) - Max(y1, gy1)).Relu();
        var union = (x2 - x1) * (y2 - y1) + (gx2 - gx1) * (gy2 - gy1) - intersection;
        var iou = intersection / (union + 1e-7f);
        var enclosing = (Max(x2, gx2) - Min(x1, gx1)) * (Max(y2, gy2) - Min(y1, gy1));
        var giou = iou - (enclosing - union) / (enclosing + 1e-7f);
        return (1f - giou).Reshape(prediction.ShapeArray[..^1]);
    }

    /// <summary>x^γ: repeated products for a whole γ (exact, differentiable at 0), exp(γ·log x) otherwise.</summary>
    private static Tensor Power(Tensor x, float gamma)
    {
        if (gamma == 0) return Tensor.Ones(x.ShapeArray, x.Device);
        if (gamma == MathF.Floor(gamma) && gamma <= 8)
        {
            var result = x;
            for (int i = 1; i < (int)gamma; i++) result *= x;
            return result;
        }
        return (x.Clip(1e-30f, 1f).Log() * gamma).Exp();
    }

    private static void SameShape(Tensor a, Tensor b, string what)
    {
        ArgumentNullException.ThrowIfNull(a);
        ArgumentNullException.ThrowIfNull(b);
        if (!a.Shape.SequenceEqual(b.Shape))
            throw new ArgumentException($"The {what} needs predictions and targets of one shape, got {ShapeText.Of(a.Shape)} and {ShapeText.Of(b.Shape)}.");
    }
}
