using Trilobite.Layers;

namespace Trilobite.Tests.Capsules;

/// <summary>Routing by agreement: the couplings' axis, the full gradient in double, and what stopping the gradient means.</summary>
public class CapsuleRoutingTests
{
    private static Tensor U(int seed, Device device, params int[] shape) => Tensor.Uniform(shape, -1f, 1f, seed, device);

    [Fact]
    public void CouplingsSumToOneOverTheParentsForEveryChild()
    {
        var votes = U(1, Device.Cpu, 3, 10, 40, 16);   // (N, parents, children, D)
        Tensor? couplings = null;
        CapsuleLayer.Route(votes, 3, false, c => couplings = c);
        var perChild = couplings!.Sum(1).ToArray();    // Σ_j c_ij
        Assert.All(perChild, s => Assert.Equal(1, s, 5));
        var perParent = couplings.Sum(2).ToArray();    // Σ_i c_ij: not 1 (the wrong axis some reimplementations use)
        Assert.Contains(perParent, s => Math.Abs(s - 1) > 0.5);
    }

    [Fact]
    public void FullRoutingPassesAFiniteDifferenceCheckInDouble() =>
        GradCheck.CheckInDouble(t => CapsuleLayer.Route(t[0].CapsulePredictions(t[1]), 3, false),
            [U(2, Device.Reference, 2, 5, 3), Tensor.Uniform([5, 4, 2, 3], -2f, 2f, 3, Device.Reference)], samples: 60);

    [Fact]
    public void StopGradientRoutingIsTheGradientWithTheCouplingsFrozenAtTheirFinalValues()
    {
        Tensor u = U(4, Device.Reference, 2, 6, 3), w = Tensor.Uniform([6, 4, 5, 3], -2f, 2f, 5, Device.Reference);
        var projection = U(6, Device.Reference, 2, 4, 5);
        (double[] DU, double[] DW) Gradients(Func<Tensor> parents)
        {
            u.RequiresGrad = w.RequiresGrad = true;
            u.Grad = w.Grad = null;
            (parents() * projection).Sum().Backward();
            return (u.Grad!.ToDoubleArray(), w.Grad!.ToDoubleArray());
        }

        Tensor? final = null;
        var stopped = Gradients(() => CapsuleLayer.Route(u.CapsulePredictions(w), 3, true, c => final = c.Detach()));
        var frozen = Gradients(() =>
        {
            var votes = u.CapsulePredictions(w);
            return final!.Reshape(8, 1, 6).BatchMatMul(votes.Reshape(8, 6, 5)).Reshape(2, 4, 5).Squash();
        });
        var full = Gradients(() => CapsuleLayer.Route(u.CapsulePredictions(w), 3, false));
        for (int i = 0; i < stopped.DW.Length; i++) Assert.Equal(frozen.DW[i], stopped.DW[i], 12);
        for (int i = 0; i < stopped.DU.Length; i++) Assert.Equal(frozen.DU[i], stopped.DU[i], 12);
        Assert.Contains(Enumerable.Range(0, full.DW.Length), i => Math.Abs(full.DW[i] - stopped.DW[i]) > 1e-6);   // the two variants differ
    }

    [Fact]
    public void SquashAndLengthAreExactlyZeroAtTheZeroVector()
    {
        var s = Tensor.Zeros([2, 3, 8], Device.Cpu);
        s.RequiresGrad = true;
        var v = s.Squash();
        (v.Sum() + s.VectorNorm(-1).Sum()).Backward();
        Assert.All(v.ToArray(), x => Assert.Equal(0f, x));
        Assert.All(s.Grad!.ToArray(), g => Assert.Equal(0f, g));
    }

    [Fact]
    public void MaskKeepsTheLongestCapsuleOrTheLabelledOne()
    {
        var capsules = Tensor.FromArray([0.1f, 0, 0, 0.9f, 0.5f, 0.5f, /* sample 2 */ 0.8f, 0, 0.2f, 0.2f, 0, 0], 2, 3, 2);
        Assert.Equal([0, 0, 0, 0.9f, 0, 0, 0.8f, 0, 0, 0, 0, 0], Mask.Longest(capsules).ToArray());
        Assert.Equal([0.1f, 0, 0, 0, 0, 0, 0, 0, 0.2f, 0.2f, 0, 0], Mask.ByLabels(capsules, Tensor.FromArray([1f, 0, 0, 0, 1, 0], 2, 3)).ToArray());
        Assert.Equal(Mask.ByLabels(capsules, Tensor.FromArray([1f, 0, 0, 0, 0, 1], 2, 3)).ToArray(), Mask.ByLabels(capsules, Tensor.FromArray([0f, 2], 2)).ToArray());
        var error = Assert.Throws<ArgumentException>(() => Mask.ByLabels(capsules, Tensor.Zeros(2, 4)));
        Assert.Contains("(2, 3)", error.Message);
    }

    [Fact]
    public void MarginLossFollowsThePaperAndTheOfficialNormalisation()
    {
        var lengths = Tensor.FromArray([0.95f, 0.3f, 0.5f, 0.05f], 2, 2);
        var targets = Tensor.FromArray([1f, 0, 1, 0], 2, 2);
        // sample 1: 0 + 0.5·0.2² = 0.02; sample 2: 0.4² + 0 = 0.16; mean 0.09
        Assert.Equal(0.09, Loss.Margin.Compute(lengths, targets).ToArray()[0], 6);
        Assert.Equal(0.09 / 4, new Losses.MarginLoss { OfficialNormalization = true }.Compute(lengths, targets).ToArray()[0], 6);   // ÷ (2·classes)
        Assert.Equal("margin_official", Loss.FromName("margin_official").Name);
    }
}
