using Trilobite.Kernels.Tests.Oracles;

namespace Trilobite.Kernels.Tests.Conv;

public class ConvolutionTests
{
    /// <summary>The lecture's worked example: one 3×3 kernel on one 3×3 patch.</summary>
    [Fact]
    public void LectureKernelOnPatchGivesMinus0_3917AndWithBiasMinus0_19()
    {
        float[] kernel = [.01f, .09f, .22f, -1.36f, .34f, -1.59f, .13f, -.69f, 1.02f];
        float[] patch = [.53f, .34f, .06f, .37f, .82f, .01f, .62f, .91f, .34f];
        var g = Conv2DGeometry.Create(1, 3, 3, 1, 3, 3, 1, 1, 1, same: false);
        var y = new float[1];
        Conv2DKernels.Forward(g, patch, kernel, default, y);
        Assert.Equal(-0.3917, y[0], 4);
        Conv2DKernels.Forward(g, patch, kernel, [0.20f], y);
        Assert.Equal(-0.19, Math.Round(y[0], 2), 2);
    }

    [Theory]
    [InlineData(28, 5, 2, 1, 28)]
    [InlineData(28, 3, 0, 1, 26)]
    [InlineData(26, 3, 0, 1, 24)]
    [InlineData(224, 11, 0, 4, 54)]
    [InlineData(32, 5, 0, 1, 28)]
    [InlineData(7, 3, 1, 2, 4)]
    public void ActivationMapSizeFormula(int d, int f, int p, int s, int expected) =>
        Assert.Equal(expected, Conv2DGeometry.OutputSize(d, f, p, s));

    /// <summary>Keras's rule for every stride/padding we use: 'same' → ⌈n/s⌉, 'valid' → ⌊(n−k)/s⌋+1, and (D−F+2P)/S+1 where padding is symmetric.</summary>
    [Theory]
    [InlineData(28, 3, 1)] [InlineData(28, 3, 2)] [InlineData(28, 5, 1)] [InlineData(9, 3, 4)]
    [InlineData(224, 11, 4)] [InlineData(7, 1, 2)] [InlineData(10, 4, 3)]
    public void GeometryMatchesKerasAndTheLectureFormula(int n, int k, int s)
    {
        var (validOut, validPad) = Conv2DGeometry.Axis(n, k, s, 1, same: false);
        Assert.Equal(0, validPad);
        Assert.Equal(Conv2DGeometry.OutputSize(n, k, 0, s), validOut);
        var (sameOut, padBefore) = Conv2DGeometry.Axis(n, k, s, 1, same: true);
        Assert.Equal((n + s - 1) / s, sameOut);
        int total = Math.Max((sameOut - 1) * s + k - n, 0);
        Assert.Equal(total / 2, padBefore);
        if (total % 2 == 0) Assert.Equal(sameOut, Conv2DGeometry.OutputSize(n, k, total / 2, s));
    }

    public static TheoryData<int, int, int, int, int, int, int, int, bool, int> Shapes => new()
    {
        { 1, 1, 1, 1, 1, 1, 1, 1, false, 1 },
        { 2, 7, 9, 3, 3, 3, 5, 1, false, 1 },
        { 2, 7, 9, 3, 3, 3, 5, 1, true, 1 },
        { 3, 13, 11, 4, 5, 3, 6, 2, true, 1 },
        { 1, 17, 17, 2, 3, 3, 3, 4, true, 1 },
        { 1, 17, 17, 2, 3, 3, 3, 4, false, 1 },
        { 2, 10, 10, 3, 3, 3, 2, 1, true, 2 },
        { 4, 6, 6, 8, 1, 1, 16, 1, false, 1 },
        { 2, 6, 6, 8, 1, 1, 16, 2, false, 1 },
        { 8, 28, 28, 1, 3, 3, 32, 1, false, 1 },
        { 2, 32, 32, 64, 3, 3, 16, 1, true, 1 },   // big enough to need several workspace blocks
        { 1, 26, 26, 32, 3, 3, 64, 1, false, 1 },  // LeNet's conv2 at batch 1: rows of one image cut between threads
    };

    [Theory]
    [InlineData(1, 26, 26, 32, 64)]
    [InlineData(1, 30, 30, 32, 64)]   // two workspace blocks per thread
    [InlineData(3, 26, 26, 32, 64)]   // more images than threads, fewer than tasks' rows
    public void OneAndTwoThreadsAgree(int n, int h, int w, int c, int oc)
    {
        var g = Conv2DGeometry.Create(n, h, w, c, 3, 3, oc, 1, 1, same: false);
        var random = new Random(3);
        float[] x = Random(random, g.InputLength), wt = Random(random, g.WeightLength), dy = Random(random, g.OutputLength);
        (float[] Y, float[] Dx, float[] Dw) Run(int threads)
        {
            var (y, dx, dw) = (new float[g.OutputLength], new float[g.InputLength], new float[g.WeightLength]);
            Gemm.GemmTests.WithThreads(threads, () =>
            {
                Conv2DKernels.Forward(g, x, wt, default, y);
                Conv2DKernels.BackwardData(g, dy, wt, dx);
                Conv2DKernels.BackwardWeights(g, x, dy, dw, default);
            });
            return (y, dx, dw);
        }
        var one = Run(1);
        var two = Run(2);
        AssertClose(one.Y, two.Y, 1e-5f * g.PatchSize);
        AssertClose(one.Dx, two.Dx, 1e-5f * g.PatchSize);
        AssertClose(one.Dw, two.Dw, 1e-5f * g.Batch * g.OutPixels);
    }

    [Theory]
    [MemberData(nameof(Shapes))]
    public void ForwardMatchesDirectConvolution(int n, int h, int w, int c, int kh, int kw, int oc, int stride, bool same, int dilation)
    {
        var g = Conv2DGeometry.Create(n, h, w, c, kh, kw, oc, stride, stride, same, dilation, dilation);
        var random = new Random(1);
        float[] x = Random(random, g.InputLength), wt = Random(random, g.WeightLength), b = Random(random, oc);
        var expected = new float[g.OutputLength];
        var actual = new float[g.OutputLength];
        ReferenceConv2D.Forward(g, x, wt, b, expected);
        Conv2DKernels.Forward(g, x, wt, b, actual);
        AssertClose(expected, actual, 1e-4f * g.PatchSize);
    }

    /// <summary>
    /// The bias and ReLU a kernel applies as it writes (im2col per block, pointwise after its GEMM, Winograd and the
    /// single-channel path per tile), and the bias gradient it sums alongside the weight gradient (added to what is
    /// there), against the oracle's convolution with the bias added, clipped and summed apart; on one and two threads.
    /// </summary>
    [Theory]
    [MemberData(nameof(Shapes))]
    public void FusedBiasReluAndBiasGradientMatchSeparatePasses(int n, int h, int w, int c, int kh, int kw, int oc, int stride, bool same, int dilation)
    {
        var g = Conv2DGeometry.Create(n, h, w, c, kh, kw, oc, stride, stride, same, dilation, dilation);
        var random = new Random(4);
        float[] x = Random(random, g.InputLength), wt = Random(random, g.WeightLength), b = Random(random, oc);
        float[] dy = Random(random, g.OutputLength), startB = Random(random, oc);
        var expected = new float[g.OutputLength];
        ReferenceConv2D.Forward(g, x, wt, b, expected);
        float[] expectedRelu = expected.Select(v => Math.Max(v, 0f)).ToArray(), expectedDb = ColumnSums(dy, oc, startB);
        foreach (int threads in new[] { 1, 2 })
        {
            var (relu, dw, db, dbOnly) = (new float[g.OutputLength], new float[g.WeightLength], (float[])startB.Clone(), (float[])startB.Clone());
            Gemm.GemmTests.WithThreads(threads, () =>
            {
                Conv2DKernels.Forward(g, x, wt, b, relu, relu: true);
                Conv2DKernels.BackwardWeights(g, x, dy, dw, db);
                Conv2DKernels.SumRows(dy, oc, dbOnly);   // a frozen kernel's trainable bias
            });
            AssertClose(expectedRelu, relu, 1e-4f * g.PatchSize);
            AssertClose(expectedDb, db, 1e-5f * g.Batch * g.OutPixels);
            AssertClose(expectedDb, dbOnly, 1e-5f * g.Batch * g.OutPixels);
        }
    }

    /// <summary>start[o] + Σ_r rows[r, o], in double.</summary>
    internal static float[] ColumnSums(float[] rows, int width, float[] start)
    {
        var sums = new double[width];
        for (int i = 0; i < rows.Length; i++) sums[i % width] += rows[i];
        return sums.Select((v, o) => (float)(v + start[o])).ToArray();
    }

    /// <summary>Backward is the adjoint of forward: ⟨conv(x, w), dy⟩ = ⟨x, ∂x⟩ = ⟨w, ∂w⟩ for a bias-free convolution.</summary>
    [Theory]
    [MemberData(nameof(Shapes))]
    public void BackwardIsTheAdjointOfForward(int n, int h, int w, int c, int kh, int kw, int oc, int stride, bool same, int dilation)
    {
        var g = Conv2DGeometry.Create(n, h, w, c, kh, kw, oc, stride, stride, same, dilation, dilation);
        var random = new Random(2);
        float[] x = Random(random, g.InputLength), wt = Random(random, g.WeightLength), dy = Random(random, g.OutputLength);
        var y = new float[g.OutputLength];
        ReferenceConv2D.Forward(g, x, wt, default, y);
        double yDotDy = Dot(y, dy);
        var dx = new float[g.InputLength];
        Conv2DKernels.BackwardData(g, dy, wt, dx);
        var dw = new float[g.WeightLength];
        var db = new float[oc];
        Conv2DKernels.BackwardWeights(g, x, dy, dw, db);
        double tolerance = 1e-4 * g.OutputLength * g.PatchSize / Math.Max(1, oc) + 1e-3;
        Assert.Equal(yDotDy, Dot(x, dx), tolerance);
        Assert.Equal(yDotDy, Dot(wt, dw), tolerance);
        for (int o = 0; o < oc; o++)
        {
            double sum = 0;
            for (int r = 0; r < g.Batch * g.OutPixels; r++) sum += dy[r * oc + o];
            Assert.Equal(sum, db[o], 1e-3 * g.Batch * g.OutPixels);
        }
    }

    [Fact]
    public void SamePaddingPutsTheOddPixelAtBottomRight()
    {
        // 4×4 input, 2×2 kernel of ones, stride 1, 'same': total padding 1 → 0 before, 1 after.
        var g = Conv2DGeometry.Create(1, 4, 4, 1, 2, 2, 1, 1, 1, same: true);
        Assert.Equal((0, 0, 4, 4), (g.PadTop, g.PadLeft, g.OutHeight, g.OutWidth));
        float[] x = Enumerable.Range(1, 16).Select(i => (float)i).ToArray();
        var y = new float[16];
        Conv2DKernels.Forward(g, x, [1, 1, 1, 1], default, y);
        Assert.Equal(1 + 2 + 5 + 6, y[0]);
        Assert.Equal(16, y[15]);
    }

    internal static float[] Random(Random random, int n) => Enumerable.Range(0, n).Select(_ => random.NextSingle() * 2 - 1).ToArray();

    private static double Dot(float[] a, float[] b)
    {
        double s = 0;
        for (int i = 0; i < a.Length; i++) s += (double)a[i] * b[i];
        return s;
    }

    private static void AssertClose(float[] expected, float[] actual, float tolerance)
    {
        for (int i = 0; i < expected.Length; i++)
            Assert.True(Math.Abs(expected[i] - actual[i]) <= tolerance, $"Element {i}: expected {expected[i]}, got {actual[i]}.");
    }
}
