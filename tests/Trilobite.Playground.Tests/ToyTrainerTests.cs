using System.Diagnostics;
using Trilobite.Playground.Sessions;
using Xunit.Abstractions;

namespace Trilobite.Playground.Tests;

public class ToyTrainerTests(ITestOutputHelper output)
{
    [Fact]
    public void Datasets_are_seeded_split_and_labelled()
    {
        foreach (var kind in Enum.GetValues<ToyDatasetKind>())
        {
            var (train, test) = ToyDataset.Generate(kind, 0.2, 0.7, 5);
            var (train2, _) = ToyDataset.Generate(kind, 0.2, 0.7, 5);
            var (other, _) = ToyDataset.Generate(kind, 0.2, 0.7, 6);
            Assert.Equal(350, train.Length);
            Assert.Equal(150, test.Length);
            Assert.Equal(train, train2);
            Assert.NotEqual(train, other);
            Assert.All(train.Concat(test), p => Assert.True(p.Label is 0 or 1 && Math.Abs(p.X) < 12 && Math.Abs(p.Y) < 12));
            double blue = train.Concat(test).Average(p => p.Label);
            Assert.InRange(blue, 0.3, 0.7);
        }
    }

    [Fact]
    public void Polar_features_are_r_and_theta()
    {
        Assert.Equal(5f, InputFeature.Compute("r", 3, 4), 5);
        Assert.Equal(MathF.PI / 2, InputFeature.Compute("theta", 0, 2), 5);
        Assert.Equal(-MathF.PI / 4, InputFeature.Compute("theta", 1, -1), 5);
        Assert.Equal(6f, InputFeature.Compute("x1x2", 2, 3));
        Assert.Throws<ArgumentException>(() => InputFeature.Compute("z", 0, 0));
    }

    [Fact]
    public void Invalid_configurations_name_the_bad_member()
    {
        Assert.Contains("hidden", Assert.Throws<ArgumentException>(() => new SessionConfig { Hidden = [1, 2, 3, 4, 5, 6, 7] }.Validate()).Message);
        Assert.Contains("hidden", Assert.Throws<ArgumentException>(() => new SessionConfig { Hidden = [0] }.Validate()).Message);
        Assert.Contains("features", Assert.Throws<ArgumentException>(() => new SessionConfig { Features = [] }.Validate()).Message);
        Assert.Contains("features", Assert.Throws<ArgumentException>(() => new SessionConfig { Features = ["x1", "x1"] }.Validate()).Message);
        Assert.Contains("noise", Assert.Throws<ArgumentException>(() => new SessionConfig { Noise = 0.9 }.Validate()).Message);
        Assert.Contains("learningRate", Assert.Throws<ArgumentException>(() => new SessionConfig { LearningRate = double.NaN }.Validate()).Message);
        Assert.Contains("dataset", Assert.Throws<ArgumentException>(() => new SessionConfig { Dataset = "moons" }.Validate()).Message);
        Assert.Contains("batchSize", Assert.Throws<ArgumentException>(() => new SessionConfig { BatchSize = 0 }.Validate()).Message);
        new SessionConfig { Hidden = [] }.Validate();   // a network without hidden layers is allowed
    }

    [Fact]
    public void Training_lowers_the_loss_on_the_circle()
    {
        var t = new ToyTrainer(new SessionConfig { Dataset = "circle", Features = ["x1", "x2", "x1sq", "x2sq"], Hidden = [4] });
        double before = t.TestLoss;
        for (int i = 0; i < 30; i++) t.RunEpoch();
        Assert.Equal(30, t.Epoch);
        Assert.True(t.TestLoss < before * 0.5, $"test loss {before:F3} → {t.TestLoss:F3}");
    }

    [Fact]
    public void Same_seed_same_training()
    {
        var config = new SessionConfig { Dataset = "xor", Hidden = [3], Seed = 4 };
        var (a, b) = (new ToyTrainer(config), new ToyTrainer(config));
        for (int i = 0; i < 5; i++) { a.RunEpoch(); b.RunEpoch(); }
        Assert.Equal(a.TestLoss, b.TestLoss);
        Assert.Equal(a.Layers[0].Kernel.Value.ToArray(), b.Layers[0].Kernel.Value.ToArray());
    }

    [Fact]
    public void L1_and_L2_shrink_the_weights()
    {
        double Norm(string regularization)
        {
            var t = new ToyTrainer(new SessionConfig { Dataset = "gaussians", Hidden = [6, 6], Regularization = regularization, RegularizationRate = 0.1 });
            for (int i = 0; i < 20; i++) t.RunEpoch();
            return t.Layers.Sum(l => l.Kernel.Value.ToArray().Sum(MathF.Abs));
        }
        double none = Norm("none"), l1 = Norm("l1"), l2 = Norm("l2");
        output.WriteLine($"sum |w| after 20 epochs: none {none:F2}, L1 {l1:F2}, L2 {l2:F2}");
        Assert.True(l1 < none * 0.8 && l2 < none * 0.8);
    }

    [Fact]
    public void Live_changes_keep_the_network_and_structural_ones_do_not_apply_live()
    {
        var t = new ToyTrainer(new SessionConfig());
        t.RunEpoch();
        Assert.True(t.CanApplyLive(t.Config with { LearningRate = 0.1, BatchSize = 3, Regularization = "l2", RegularizationRate = 0.01 }));
        Assert.False(t.CanApplyLive(t.Config with { Hidden = [3] }));
        Assert.False(t.CanApplyLive(t.Config with { Features = ["x1"] }));
        Assert.False(t.CanApplyLive(t.Config with { Dataset = "xor" }));
        t.ApplyLive(t.Config with { LearningRate = 0.1 });
        Assert.Equal(1, t.Epoch);
    }

    /// <summary>
    /// The lecture's point, measured: the same network, the same epochs, on the spiral — with r and θ the
    /// test loss ends far lower. Numbers go to the test output (and to the README).
    /// </summary>
    [Fact]
    public void Spiral_is_easier_with_polar_features()
    {
        const int epochs = 200;
        double Run(string[] features)
        {
            var t = new ToyTrainer(new SessionConfig { Dataset = "spiral", Features = features, Hidden = [8, 8], Activation = "tanh", LearningRate = 0.03, BatchSize = 10, Seed = 1 });
            var clock = Stopwatch.StartNew();
            for (int i = 0; i < epochs; i++) t.RunEpoch();
            output.WriteLine($"spiral, hidden [8, 8] tanh, lr 0.03, batch 10, {epochs} epochs, features {string.Join(",", features)}: test loss {t.TestLoss:F4}, train loss {t.TrainLoss:F4} ({clock.ElapsedMilliseconds} ms)");
            return t.TestLoss;
        }
        double cartesian = Run(["x1", "x2"]), polar = Run(["x1", "x2", "r", "theta"]);
        Assert.True(polar < cartesian * 0.6, $"with r, θ {polar:F4}; without {cartesian:F4}");
    }
}
