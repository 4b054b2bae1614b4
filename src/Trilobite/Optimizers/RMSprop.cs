using System.Text.Json.Nodes;

namespace Trilobite;

/// <summary>
/// RMSprop as Keras 3 (lr 1e-3, ρ 0.9, ε 1e-7): s ← ρ·s + (1 − ρ)·g², step = lr·g/√(s + ε);
/// with momentum μ, u ← μ·u + step and w ← w − u, else w ← w − step.
/// </summary>
public sealed class RMSprop(double learningRate = 1e-3, double rho = 0.9, double momentum = 0, double epsilon = 1e-7, double weightDecay = 0)
    : Optimizer(learningRate, weightDecay)
{
    public double Rho { get; } = rho;
    public double Momentum { get; } = momentum;
    public double Epsilon { get; } = epsilon;

    public override string Name => "rmsprop";

    protected override int SlotCount => Momentum > 0 ? 2 : 1;

    protected override void Update(Span<float> w, ReadOnlySpan<float> g, float[][] slots)
    {
        float[] s = slots[0];
        float rho = (float)Rho, lr = (float)LearningRate, eps = (float)Epsilon, mu = (float)Momentum;
        for (int i = 0; i < w.Length; i++)
        {
            s[i] = rho * s[i] + (1 - rho) * g[i] * g[i];
            float step = lr * g[i] / MathF.Sqrt(s[i] + eps);
            if (Momentum > 0)
            {
                slots[1][i] = mu * slots[1][i] + step;
                w[i] -= slots[1][i];
            }
            else w[i] -= step;
        }
    }

    public override JsonObject GetConfig()
    {
        var c = base.GetConfig();
        c["rho"] = Rho;
        c["momentum"] = Momentum;
        c["epsilon"] = Epsilon;
        return c;
    }
}
