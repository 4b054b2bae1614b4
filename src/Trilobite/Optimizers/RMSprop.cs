using System.Text.Json.Nodes;

namespace Trilobite;

/// <summary>
/// RMSprop as Keras 3 (lr 1e-3, ρ 0.9, ε 1e-7): s ← ρ·s + (1 − ρ)·g², step = lr·g/√(s + ε);
/// with momentum μ, u ← μ·u + step and w ← w − u, else w ← w − step.
/// </summary>
public sealed class RMSprop(double learningRate = 1e-3, double rho = 0.9, double momentum = 0, double epsilon = 1e-7, double weightDecay = 0)
    : Optimizer(learningRate, weightDecay)
{
    /// <summary>ρ, the decay of the mean square of the gradients, in [0, 1).</summary>
    public double Rho { get; } = Arguments.InRange("RMSprop", "rho", rho, 0, 1, maxInclusive: false);
    /// <summary>μ in [0, 1] (<see cref="ArgumentOutOfRangeException"/> otherwise); 0 for none.</summary>
    public double Momentum { get; } = momentum is >= 0 and <= 1 ? momentum
        : throw new ArgumentOutOfRangeException(nameof(momentum), $"RMSprop: momentum must be in [0, 1], got {momentum}.");
    /// <summary>ε added to the mean square under the root; non-negative.</summary>
    public double Epsilon { get; } = Arguments.Positive("RMSprop", "epsilon", epsilon);

    /// <inheritdoc/>
    public override string Name => "rmsprop";

    /// <summary>The mean square s, and the momentum u when <see cref="Momentum"/> is positive.</summary>
    protected override int SlotCount => Momentum > 0 ? 2 : 1;

    /// <summary>One fused RMSprop step (with momentum when there is a second slot).</summary>
    protected override void Update(Tensor weight, Tensor gradient, Tensor[] slots) =>
        weight.Backend.RmsPropUpdate(weight.Data, gradient.Data, slots[0].Data, slots.Length > 1 ? slots[1].Data : default,
            new Kernels.RmsPropParameters((float)LearningRate, (float)Rho, (float)Momentum, (float)Epsilon, DecayFactor));

    /// <inheritdoc/>
    public override JsonObject GetConfig()
    {
        var c = base.GetConfig();
        c["rho"] = Rho;
        c["momentum"] = Momentum;
        c["epsilon"] = Epsilon;
        return c;
    }
}
