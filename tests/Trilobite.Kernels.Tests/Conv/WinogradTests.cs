using Trilobite.Kernels.Tests.Oracles;

namespace Trilobite.Kernels.Tests.Conv;

/// <summary>
/// The Winograd paths of 3×3 stride-1 convolutions, F(2×2, 3×3) and F(4×4, 3×3), against the direct double-precision
/// oracle: forward (with bias, and with a fused ReLU), input gradient, weight gradient and bias gradient, for 'same' and
/// 'valid', odd sizes (tiles hanging over the edge), channel counts that are not whole vectors, one and many blocks, one
/// and two threads. Tolerance: see <see cref="Close"/>.
/// </summary>
public class WinogradTests
{
    public static TheoryData<int, int, int, int, int, bool> Shapes => new()
    {
        { 2, 16, 16, 64, 64, true },    // the detector's towers
        { 8, 7, 9, 16, 32, false },     // odd outputs (5×7): the last tiles half outside
        { 4, 9, 9, 32, 16, true },
        { 1, 26, 26, 32, 64, false },   // LeNet's conv2
        { 32, 3, 4, 16, 16, true },     // 3×4 maps: one tile row cut in half
        { 16, 4, 4, 64, 64, true },     // many images of few tiles
        { 1, 40, 40, 16, 16, true },    // several blocks of tiles in one image
        { 2, 16, 16, 64, 90, true },    // a detector head's class scores (9 anchors × 10): not whole vectors
        { 2, 16, 16, 64, 36, true },    // its box deltas (9 × 4)
        { 8, 9, 9, 20, 17, false },     // neither side whole vectors
        { 8, 16, 16, 32, 32, true },    // F(4×4): 128 tiles
        { 16, 16, 16, 64, 90, true },   // F(4×4), the detector's class scores at batch 16
        { 4, 26, 26, 32, 64, false },   // F(4×4) LeNet's conv2: 24×24 outputs, its input gradient's 26×26 ends in half tiles
        { 8, 22, 23, 20, 17, true },    // F(4×4) tiles cut at the bottom (2 rows) and right (3 columns), channels not whole vectors
    };

    [Theory]
    [InlineData(16, 16, 16, 4)]   // the detector's towers: 256 large tiles
    [InlineData(8, 16, 16, 4)]    // 128: the fewest that take F(4×4)
    [InlineData(16, 8, 8, 2)]     // 64 large tiles: too few
    [InlineData(16, 4, 4, 2)]
    [InlineData(64, 13, 13, 2)]   // 16×16 computed for 13×13 against F(2×2)'s 14×14: more than a fifth extra
    [InlineData(128, 26, 26, 4)]  // 28×28 for 26×26: 16 % extra
    [InlineData(128, 24, 24, 4)]
    [InlineData(64, 3, 40, 2)]    // fewer than 4 rows
    public void TheTileSizeFollowsTheMapAndBatch(int batch, int height, int width, int tile) =>
        Assert.Equal(tile, Winograd3x3.TileFor(batch, height, width));

    [Theory]
    [MemberData(nameof(Shapes))]
    public void ForwardAndInputGradientMatchTheDirectConvolution(int n, int h, int w, int c, int oc, bool same)
    {
        var g = Conv2DGeometry.Create(n, h, w, c, 3, 3, oc, 1, 1, same);
        Assert.True(Winograd3x3.Applies(g));
        var random = new Random(h * 31 + c);
        float[] x = ConvolutionTests.Random(random, g.InputLength), wt = ConvolutionTests.Random(random, g.WeightLength);
        float[] b = ConvolutionTests.Random(random, oc), dy = ConvolutionTests.Random(random, g.OutputLength);
        float[] start = ConvolutionTests.Random(random, g.InputLength);   // the gradients accumulate into what is there
        float[] startW = ConvolutionTests.Random(random, g.WeightLength), startB = ConvolutionTests.Random(random, oc);
        var (expectedY, expectedDx, expectedDw) = (new float[g.OutputLength], (float[])start.Clone(), (float[])startW.Clone());
        ReferenceConv2D.Forward(g, x, wt, b, expectedY);
        ReferenceConv2D.BackwardData(g, dy, wt, expectedDx);
        ReferenceConv2D.BackwardWeights(g, x, dy, expectedDw);
        float[] expectedRelu = expectedY.Select(v => Math.Max(v, 0f)).ToArray();
        float[] expectedDb = ConvolutionTests.ColumnSums(dy, oc, startB);
        foreach (int threads in new[] { 1, 2 })
        {
            var (y, relu, dx, dw, db) = (new float[g.OutputLength], new float[g.OutputLength], (float[])start.Clone(), (float[])startW.Clone(), (float[])startB.Clone());
            Gemm.GemmTests.WithThreads(threads, () =>
            {
                Conv2DKernels.Forward(g, x, wt, b, y);
                Conv2DKernels.Forward(g, x, wt, b, relu, relu: true);
                Conv2DKernels.BackwardData(g, dy, wt, dx);
                Conv2DKernels.BackwardWeights(g, x, dy, dw, db);
            });
            Close(expectedY, y, 9 * c, $"forward, {threads} thread(s)");
            Close(expectedRelu, relu, 9 * c, $"forward with ReLU, {threads} thread(s)");
            Close(expectedDx, dx, 9 * oc, $"input gradient, {threads} thread(s)");
            Close(expectedDw, dw, g.Batch * g.OutPixels, $"weight gradient, {threads} thread(s)");
            Close(expectedDb, db, g.Batch * g.OutPixels, $"bias gradient, {threads} thread(s)");
        }
    }

    [Theory]
    [InlineData(3, 3, 64, 64, 2, 1)]   // stride 2
    [InlineData(3, 3, 8, 64, 1, 1)]    // too few input channels
    [InlineData(5, 5, 64, 64, 1, 1)]
    [InlineData(3, 3, 64, 64, 1, 2)]   // dilation 2
    [InlineData(3, 3, 64, 64, 1, 1, 8)]   // one 8×8 map: too few pixels to pay for the kernel's transform
    public void OtherConvolutionsStayOnIm2Col(int kh, int kw, int c, int oc, int stride, int dilation, int size = 24)
    {
        var g = Conv2DGeometry.Create(1, size, size, c, kh, kw, oc, stride, stride, true, dilation, dilation);
        Assert.False(Winograd3x3.Applies(g));
    }

    /// <summary>
    /// Each value within a few ulps of the largest term that could enter it (|x|, |w| ≤ 1: terms ≤ 1, <paramref name="terms"/>
    /// of them): 4·10⁻⁶ per term covers F(4×4)'s larger rounding too (measured on the towers' 16×16×64: a largest error
    /// of 1.9·10⁻⁴ where the outputs reach 35 and 576 terms give 2.3·10⁻³; F(2×2)'s 1.3·10⁻⁵).
    /// </summary>
    internal static void Close(float[] expected, float[] actual, int terms, string what)
    {
        float tolerance = 4e-6f * terms;
        for (int i = 0; i < expected.Length; i++)
            Assert.True(Math.Abs(expected[i] - actual[i]) <= tolerance, $"{what}: element {i}: expected {expected[i]}, got {actual[i]} (tolerance {tolerance}).");
    }
}
