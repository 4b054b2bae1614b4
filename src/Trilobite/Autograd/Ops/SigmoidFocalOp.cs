namespace Trilobite.Autograd.Ops;

/// <summary>
/// The sigmoid focal loss per element, by one fused backend kernel that also writes each element's derivative by its
/// logit during the forward pass (the loss is elementwise, so its Jacobian is diagonal). Backward: dz += dy·stored.
/// The targets are constants here (anchor assignments); a caller that needs their gradient composes the loss from ops.
/// </summary>
public sealed class SigmoidFocalOp : Op
{
    private readonly Tensor _derivative;

    private SigmoidFocalOp(Tensor logits, Tensor derivative) : base([logits]) => _derivative = derivative;

    /// <inheritdoc/>
    public override string Name => "SigmoidFocal";

    /// <summary>
    /// w·(1 − pₜ)^γ·CE per element for logits and targets in [0, 1] of one shape (<see cref="Backends.ILossBackend.SigmoidFocalLoss"/>);
    /// <paramref name="alpha"/> &lt; 0 leaves the classes unweighted.
    /// </summary>
    public static Tensor Apply(Tensor logits, Tensor targets, float alpha, float gamma)
    {
        if (!logits.Shape.SequenceEqual(targets.Shape))
            throw new ArgumentException($"Focal loss: logits of shape {ShapeText.Of(logits.Shape)} and targets of shape {ShapeText.Of(targets.Shape)} differ.");
        if (!(gamma >= 0) || !float.IsFinite(gamma)) throw new ArgumentOutOfRangeException(nameof(gamma), $"The focal loss's gamma must be 0 or more, got {gamma}.");
        var backend = Backend("SigmoidFocal", logits, targets);
        bool record = ShouldRecord(logits);
        var loss = Tensor.Create(logits.ShapeArray, logits.Device, clear: false);
        var derivative = record ? Tensor.Create(logits.ShapeArray, logits.Device, clear: false) : null;
        backend.SigmoidFocalLoss(logits.Data, targets.Data, alpha, gamma, loss.Data, derivative?.Data ?? default);
        return record ? Attach(loss, new SigmoidFocalOp(logits, derivative!)) : loss;
    }

    /// <inheritdoc/>
    protected internal override void Backward(Tensor dy)
    {
        var dz = GradOf(Inputs[0]);
        dy.Backend.MultiplyAdd(dy.Data, _derivative.Data, dz, dz);
    }
}
