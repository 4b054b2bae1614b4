using System.Text.Json.Nodes;

namespace Trilobite;

/// <summary>
/// Stochastic gradient descent, as Keras: without momentum w ← w − lr·g; with momentum m,
/// v ← m·v − lr·g and w ← w + v, or with Nesterov w ← w + m·v − lr·g.
/// </summary>
public sealed class SGD(double learningRate = 0.01, double momentum = 0, bool nesterov = false, double weightDecay = 0)
    : Optimizer(learningRate, weightDecay)
{
    /// <summary>m in [0, 1] (<see cref="ArgumentOutOfRangeException"/> otherwise); 0 for plain SGD.</summary>
    public double Momentum { get; } = momentum is >= 0 and <= 1 ? momentum
        : throw new ArgumentOutOfRangeException(nameof(momentum), $"SGD: momentum must be in [0, 1], got {momentum}.");
    /// <summary>Whether the momentum step is Nesterov's (only matters with momentum).</summary>
    public bool Nesterov { get; } = nesterov;

    /// <inheritdoc/>
    public override string Name => "sgd";

    /// <summary>The velocity v with momentum; none without.</summary>
    protected override int SlotCount => Momentum > 0 ? 1 : 0;

    /// <summary>One fused SGD step (with momentum when there is a slot).</summary>
    protected override void Update(Tensor weight, Tensor gradient, Tensor[] slots) =>
        weight.Backend.SgdUpdate(weight.Data, gradient.Data, slots.Length > 0 ? slots[0].Data : default,
            new Kernels.SgdParameters((float)LearningRate, (float)Momentum, Nesterov, DecayFactor));

    /// <inheritdoc/>
    public override JsonObject GetConfig()
    {
        var c = base.GetConfig();
        c["momentum"] = Momentum;
        c["nesterov"] = Nesterov;
        return c;
    }
}
