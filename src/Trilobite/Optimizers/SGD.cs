using System.Text.Json.Nodes;

namespace Trilobite;

/// <summary>
/// Stochastic gradient descent, as Keras: without momentum w ← w − lr·g; with momentum m,
/// v ← m·v − lr·g and w ← w + v, or with Nesterov w ← w + m·v − lr·g.
/// </summary>
public sealed class SGD(double learningRate = 0.01, double momentum = 0, bool nesterov = false, double weightDecay = 0)
    : Optimizer(learningRate, weightDecay)
{
    public double Momentum { get; } = momentum;
    public bool Nesterov { get; } = nesterov;

    public override string Name => "sgd";

    protected override int SlotCount => Momentum > 0 ? 1 : 0;

    protected override void Update(Span<float> w, ReadOnlySpan<float> g, float[][] slots)
    {
        float lr = (float)LearningRate, m = (float)Momentum;
        if (Momentum == 0)
        {
            System.Numerics.Tensors.TensorPrimitives.MultiplyAdd(g, -lr, w, w);
            return;
        }
        float[] v = slots[0];
        for (int i = 0; i < w.Length; i++)
        {
            v[i] = m * v[i] - lr * g[i];
            w[i] += Nesterov ? m * v[i] - lr * g[i] : v[i];
        }
    }

    public override JsonObject GetConfig()
    {
        var c = base.GetConfig();
        c["momentum"] = Momentum;
        c["nesterov"] = Nesterov;
        return c;
    }
}
