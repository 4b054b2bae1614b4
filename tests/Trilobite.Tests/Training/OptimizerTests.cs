using Trilobite.Layers;

namespace Trilobite.Tests.Training;

/// <summary>One optimizer step on w = [1, −2] with gradient g = [0.5, −1], checked against the formulas by hand, on both devices.</summary>
public class OptimizerTests
{
    private static Weight TwoValueWeight(out Dense layer)
    {
        layer = new Dense(2, useBias: false);
        layer.Build([1]);
        var w = layer.Weights[0];
        w.Value[0, 0] = 1; w.Value[0, 1] = -2;
        return w;
    }

    private static float[] Steps(Optimizer optimizer, int steps)
    {
        var w = TwoValueWeight(out _);
        for (int i = 0; i < steps; i++)
        {
            w.Value.ZeroGrad();
            var g = w.Value.EnsureGrad();
            g[0, 0] = 0.5f; g[0, 1] = -1f;
            optimizer.Step([w]);
        }
        return w.Value.ToArray();
    }

    [Theory]
    [MemberData(nameof(DefaultDevice.Both), MemberType = typeof(DefaultDevice))]
    public void PlainSgd(string device)
    {
        using var _ = DefaultDevice.Use(device);
        Assert.Equal([0.95f, -1.9f], Steps(new SGD(0.1), 1));
    }

    [Theory]
    [MemberData(nameof(DefaultDevice.Both), MemberType = typeof(DefaultDevice))]
    public void SgdMomentum(string device)
    {
        using var _ = DefaultDevice.Use(device);
        // v1 = −0.05, w1 = 0.95; v2 = 0.9·(−0.05) − 0.05 = −0.095, w2 = 0.855
        var w = Steps(new SGD(0.1, momentum: 0.9), 2);
        Assert.Equal(0.855f, w[0], 6);
        Assert.Equal(-1.71f, w[1], 5);
    }

    [Theory]
    [MemberData(nameof(DefaultDevice.Both), MemberType = typeof(DefaultDevice))]
    public void SgdNesterov(string device)
    {
        using var _ = DefaultDevice.Use(device);
        // v1 = −0.05; w1 = 1 + 0.9·(−0.05) − 0.05 = 0.905
        Assert.Equal(0.905f, Steps(new SGD(0.1, momentum: 0.9, nesterov: true), 1)[0], 6);
    }

    [Theory]
    [MemberData(nameof(DefaultDevice.Both), MemberType = typeof(DefaultDevice))]
    public void AdamFirstStepMovesByTheLearningRate(string device)
    {
        using var _ = DefaultDevice.Use(device);
        // t = 1: m = 0.1g, v = 0.001g², α = lr·√0.001/0.1 → step = lr·g/(|g| + ε/√0.001·…) ≈ lr·sign(g)
        var w = Steps(new Adam(0.01), 1);
        Assert.Equal(0.99f, w[0], 5);
        Assert.Equal(-1.99f, w[1], 5);
    }

    [Theory]
    [MemberData(nameof(DefaultDevice.Both), MemberType = typeof(DefaultDevice))]
    public void AdamSecondStepMatchesTheFormula(string device)
    {
        using var _ = DefaultDevice.Use(device);
        double lr = 0.01, b1 = 0.9, b2 = 0.999, eps = 1e-7, g = 0.5, w = 1, m = 0, v = 0;
        for (int t = 1; t <= 2; t++)
        {
            m = b1 * m + (1 - b1) * g;
            v = b2 * v + (1 - b2) * g * g;
            w -= lr * Math.Sqrt(1 - Math.Pow(b2, t)) / (1 - Math.Pow(b1, t)) * m / (Math.Sqrt(v) + eps);
        }
        Assert.Equal(w, Steps(new Adam(lr), 2)[0], 5);
    }

    [Theory]
    [MemberData(nameof(DefaultDevice.Both), MemberType = typeof(DefaultDevice))]
    public void RmsProp(string device)
    {
        using var _ = DefaultDevice.Use(device);
        // s = 0.1·0.25 = 0.025; step = 0.01·0.5/√(0.025 + 1e-7)
        double expected = 1 - 0.01 * 0.5 / Math.Sqrt(0.025 + 1e-7);
        Assert.Equal(expected, Steps(new RMSprop(0.01), 1)[0], 5);
    }

    [Theory]
    [MemberData(nameof(DefaultDevice.Both), MemberType = typeof(DefaultDevice))]
    public void WeightDecayShrinksFirst(string device)
    {
        using var _ = DefaultDevice.Use(device);
        Assert.Equal(1 * (1 - 0.1 * 0.5) - 0.05, Steps(new SGD(0.1, weightDecay: 0.5), 1)[0], 5);
    }

    [Theory]
    [MemberData(nameof(DefaultDevice.Both), MemberType = typeof(DefaultDevice))]
    public void FrozenLayersAreNotUpdated(string device)
    {
        using var _ = DefaultDevice.Use(device);
        var w = TwoValueWeight(out var layer);
        layer.Trainable = false;
        var g = w.Value.EnsureGrad();
        g[0, 0] = 1; g[0, 1] = 1;
        new SGD(0.1).Step([w]);
        Assert.Equal([1f, -2f], w.Value.ToArray());
    }
}
