using System.Text.Json.Nodes;

namespace Trilobite;

/// <summary>
/// Adam with Keras's defaults (lr 1e-3, β1 0.9, β2 0.999, ε 1e-7): m ← β1·m + (1 − β1)·g,
/// v ← β2·v + (1 − β2)·g², w ← w − α·m/(√v + ε) with α = lr·√(1 − β2ᵗ)/(1 − β1ᵗ).
/// </summary>
public sealed class Adam(double learningRate = 1e-3, double beta1 = 0.9, double beta2 = 0.999, double epsilon = 1e-7, double weightDecay = 0)
    : Optimizer(learningRate, weightDecay)
{
    // β = 1 would divide the bias correction by zero; a negative ε could make the denominator zero.
    /// <summary>β1, the decay of the first-moment (mean) estimate, in [0, 1).</summary>
    public double Beta1 { get; } = Arguments.InRange("Adam", "beta_1", beta1, 0, 1, maxInclusive: false);
    /// <summary>β2, the decay of the second-moment (uncentred variance) estimate, in [0, 1).</summary>
    public double Beta2 { get; } = Arguments.InRange("Adam", "beta_2", beta2, 0, 1, maxInclusive: false);
    /// <summary>ε added to √v in the denominator; non-negative.</summary>
    public double Epsilon { get; } = Arguments.Positive("Adam", "epsilon", epsilon);

    /// <inheritdoc/>
    public override string Name => "adam";

    /// <summary>2: the moment estimates m and v.</summary>
    protected override int SlotCount => 2;

    /// <summary>One fused Adam step with the bias-corrected step size for the current <see cref="Optimizer.Iterations"/>.</summary>
    protected override void Update(Tensor weight, Tensor gradient, Tensor[] slots)
    {
        float alpha = (float)(LearningRate * Math.Sqrt(1 - Math.Pow(Beta2, Iterations)) / (1 - Math.Pow(Beta1, Iterations)));
        weight.Backend.AdamUpdate(weight.Data, gradient.Data, slots[0].Data, slots[1].Data,
            new Kernels.AdamParameters(alpha, (float)Beta1, (float)Beta2, (float)Epsilon, DecayFactor));
    }

    /// <inheritdoc/>
    public override JsonObject GetConfig()
    {
        var c = base.GetConfig();
        c["beta_1"] = Beta1;
        c["beta_2"] = Beta2;
        c["epsilon"] = Epsilon;
        return c;
    }
}
