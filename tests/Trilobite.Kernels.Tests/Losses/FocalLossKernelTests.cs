namespace Trilobite.Kernels.Tests.Losses;

/// <summary>The fused focal loss kernel on hand cases, against its formula in double, and independent of split and position.</summary>
public class FocalLossKernelTests
{
    [Fact]
    public void HandCasesMatchTheFormula()
    {
        // z = 0, t = 1: p = ½, CE = log 2, m = ½; α = 0.25, γ = 2 → 0.25·¼·log 2; d/dz = 0.25·[(½ − 1)·¼ + log 2·2·½·(−1)·¼].
        float[] loss = new float[3], gradient = new float[3];
        FocalLossKernel.Run([0f, 0f, 30f], [1f, 0f, 1f], 0.25f, 2f, loss, gradient);
        Assert.Equal(0.25 * 0.25 * Math.Log(2), loss[0], 1e-7);
        Assert.Equal(0.25 * (-0.5 * 0.25 + Math.Log(2) * 2 * 0.5 * -1 * 0.25), gradient[0], 1e-7);
        Assert.Equal(0.75 * 0.25 * Math.Log(2), loss[1], 1e-7);        // t = 0 weighs 1 − α
        Assert.Equal(0f, loss[2]);                                     // a saturated right answer costs nothing
        Assert.Equal(0f, gradient[2]);
    }

    [Fact]
    public void AnElementDoesNotDependOnTheLengthNorOnTheThreads()
    {
        var random = new Random(7);
        int n = 200_003;
        float[] z = Enumerable.Range(0, n).Select(_ => (float)(random.NextDouble() * 20 - 10)).ToArray();
        float[] t = Enumerable.Range(0, n).Select(_ => random.NextDouble() > 0.9 ? 1f : 0f).ToArray();
        int saved = KernelThreads.Count;
        try
        {
            KernelThreads.Count = 1;
            var (one, oneGradient) = Run(z, t);
            KernelThreads.Count = 2;
            var (two, twoGradient) = Run(z, t);
            Assert.Equal(one, two);
            Assert.Equal(oneGradient, twoGradient);
            foreach (int i in new[] { 0, 5, 8, n - 3, n - 1 })            // in the 8-lane body and in the padded tail
            {
                var (alone, aloneGradient) = Run([z[i]], [t[i]]);
                Assert.Equal(one[i], alone[0]);
                Assert.Equal(oneGradient[i], aloneGradient[0]);
            }
        }
        finally { KernelThreads.Count = saved; }
    }

    [Fact]
    public void MismatchedLengthsAndANegativeGammaAreRefused()
    {
        Assert.Contains("3 logits need as many targets", Assert.Throws<ArgumentException>(() =>
            FocalLossKernel.Run(new float[3], new float[2], 0.25f, 2f, new float[3], default)).Message);
        Assert.Contains("gamma must be 0 or more", Assert.Throws<ArgumentOutOfRangeException>(() =>
            FocalLossKernel.Run(new float[1], new float[1], 0.25f, -1f, new float[1], default)).Message);
    }

    private static (float[] Loss, float[] Gradient) Run(float[] z, float[] t)
    {
        float[] loss = new float[z.Length], gradient = new float[z.Length];
        FocalLossKernel.Run(z, t, 0.25f, 2f, loss, gradient);
        return (loss, gradient);
    }
}
