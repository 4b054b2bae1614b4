using Trilobite.Tests;
using Trilobite.Vision.Detection;

namespace Trilobite.Vision.Tests.Detection;

/// <summary>Finite-difference checks, in double on the Reference device, of every detection loss; and their values on hand cases.</summary>
public class DetectionLossGradientTests
{
    private static Tensor U(int seed, float low, float high, params int[] shape) => Tensor.Uniform(shape, low, high, seed, Device.Reference);
    private static Tensor Targets(int seed, params int[] shape)
    {
        var t = U(seed, 0, 1, shape).ToArray().Select(v => v > 0.7f ? 1f : 0f).ToArray();
        return Tensor.FromArray(t, shape, Device.Reference);
    }

    /// <summary>Boxes (n, 4) with x1 &lt; x2 and y1 &lt; y2 by at least 1, from a seed.</summary>
    private static Tensor Boxes(int seed, int n, float spread)
    {
        var r = new Random(seed);
        var v = new float[n * 4];
        for (int i = 0; i < n; i++)
        {
            float x = (float)r.NextDouble() * spread, y = (float)r.NextDouble() * spread;
            (v[4 * i], v[4 * i + 1], v[4 * i + 2], v[4 * i + 3]) = (x, y, x + 1 + (float)r.NextDouble() * 10, y + 1 + (float)r.NextDouble() * 10);
        }
        return Tensor.FromArray(v, [n, 4], Device.Reference);
    }

    [Fact] public void FocalLoss() => GradCheck.CheckInDouble(t => DetectionLosses.SigmoidFocal(t[0], Targets(2, 5, 6)), [U(1, -4, 4, 5, 6)]);
    [Fact] public void FocalLossWithAWholeAndAFractionalGamma()
    {
        GradCheck.CheckInDouble(t => DetectionLosses.SigmoidFocal(t[0], Targets(4, 4, 3), alpha: -1, gamma: 3), [U(3, -3, 3, 4, 3)]);
        GradCheck.CheckInDouble(t => DetectionLosses.SigmoidFocal(t[0], Targets(6, 4, 3), gamma: 1.5f), [U(5, -3, 3, 4, 3)]);
    }

    // Targets that need a gradient take the composed form; soft targets kept off 0 and 1.
    [Fact] public void FocalLossByItsTargetsToo() =>
        GradCheck.CheckInDouble(t => DetectionLosses.SigmoidFocal(t[0], t[1]), [U(11, -3, 3, 4, 5), U(12, 0.1f, 0.9f, 4, 5)]);

    [Theory]
    [InlineData(0.25f, 2f)]
    [InlineData(-1f, 0f)]
    [InlineData(0.5f, 1f)]
    [InlineData(0.25f, 1.5f)]
    [InlineData(0.9f, 3f)]
    public void TheFusedFocalLossEqualsTheComposedOne(float alpha, float gamma)
    {
        var z = Tensor.Uniform([6, 50, 7], -9, 9, 13);
        var t = Tensor.FromArray(Tensor.Uniform([6, 50, 7], 0, 1, 14).ToArray().Select((v, i) => i % 4 == 0 ? v : v > 0.8f ? 1f : 0f).ToArray(), [6, 50, 7]);
        var seed = Tensor.Uniform([6, 50, 7], -1, 1, 15);
        var (fused, fusedGradient) = LossAndGradient(z, w => DetectionLosses.SigmoidFocal(w, t, alpha, gamma), seed);
        var (composed, composedGradient) = LossAndGradient(z, w => DetectionLosses.SigmoidFocalComposed(w, t, alpha, gamma), seed);
        AssertClose(composed, fused, "loss");
        AssertClose(composedGradient, fusedGradient, "gradient");
    }

    private static void AssertClose(float[] expected, float[] actual, string what)
    {
        for (int i = 0; i < expected.Length; i++)
            Assert.True(Math.Abs(expected[i] - actual[i]) <= 1e-6 + 1e-4 * Math.Abs(expected[i]), $"{what} {i}: composed {expected[i]}, fused {actual[i]}");
    }

    private static (float[] Value, float[] Gradient) LossAndGradient(Tensor z, Func<Tensor, Tensor> loss, Tensor seed)
    {
        var w = Tensor.FromArray(z.ToArray(), z.ShapeArray);
        w.RequiresGrad = true;
        var value = loss(w);
        value.Backward(seed);
        return (value.ToArray(), w.Grad!.ToArray());
    }

    [Fact] public void L1() => GradCheck.CheckInDouble(t => DetectionLosses.L1(t[0], U(8, -1, 1, 6, 4)), [U(7, -1, 1, 6, 4)]);

    // Differences kept away from ±β and 0, where smooth L1 has a kink in its second derivative or |d| in its first.
    [Fact] public void SmoothL1() => GradCheck.CheckInDouble(t => DetectionLosses.SmoothL1(t[0], Tensor.Zeros([8], Device.Reference), beta: 0.5f),
        [Tensor.FromArray([-1.3f, -0.4f, -0.2f, 0.1f, 0.3f, 0.45f, 0.7f, 2f], [8], Device.Reference)]);

    [Fact] public void GeneralizedIouOverlappingAndApart() =>
        GradCheck.CheckInDouble(t => DetectionLosses.GeneralizedIou(t[0], Boxes(10, 12, 8)), [Boxes(9, 12, 8)]);

    [Fact]
    public void ValuesOnHandMadeCases()
    {
        var zero = Tensor.Zeros([4], Device.Reference);
        float[] smooth = DetectionLosses.SmoothL1(Tensor.FromArray([0.05f, -0.1f, 0.5f, -2f], [4], Device.Reference), zero, beta: 0.2f).ToArray();
        Assert.Equal([0.5f * 0.05f * 0.05f / 0.2f, 0.5f * 0.01f / 0.2f, 0.5f - 0.1f, 2f - 0.1f], smooth, new Tolerance(1e-6f));
        Assert.Equal([0.05f, 0.1f, 0.5f, 2f], DetectionLosses.SmoothL1(Tensor.FromArray([0.05f, -0.1f, 0.5f, -2f], [4], Device.Reference), zero, beta: 0).ToArray());

        // The same box: loss 0. Boxes 10 apart of side 10 (enclosure 30×10, union 200): 1 − (0 − 100/300) = 4/3.
        var a = Tensor.FromArray([0f, 0, 10, 10, 0, 0, 10, 10], [2, 4], Device.Reference);
        var b = Tensor.FromArray([0f, 0, 10, 10, 20, 0, 30, 10], [2, 4], Device.Reference);
        Assert.Equal([0f, 4f / 3], DetectionLosses.GeneralizedIou(a, b).ToArray(), new Tolerance(1e-5f));

        // Focal loss: a confident right answer costs almost nothing, a confident wrong one almost its full cross-entropy.
        float[] focal = DetectionLosses.SigmoidFocal(Tensor.FromArray([6f, 6f], [2], Device.Reference), Tensor.FromArray([1f, 0f], [2], Device.Reference)).ToArray();
        double p = 1 / (1 + Math.Exp(-6)), softplus = Math.Log(1 + Math.Exp(6));
        Assert.True(focal[0] < 1e-6 && Math.Abs(focal[1] - 0.75 * p * p * softplus) < 1e-4, string.Join(", ", focal));
        Assert.Contains("one shape", Assert.Throws<ArgumentException>(() => DetectionLosses.L1(a, zero)).Message);
    }

    private sealed class Tolerance(float eps) : IEqualityComparer<float>
    {
        public bool Equals(float x, float y) => Math.Abs(x - y) <= eps * (1 + Math.Abs(x));
        public int GetHashCode(float obj) => 0;
    }
}
