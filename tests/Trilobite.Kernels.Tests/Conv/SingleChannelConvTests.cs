using Trilobite.Kernels.Tests.Oracles;

namespace Trilobite.Kernels.Tests.Conv;

/// <summary>
/// The direct path for one input channel (forward with bias and a fused ReLU, weight gradient) against the double-precision oracle:
/// 'same' and 'valid', strides and dilations, windows of 1×1 to 7×7 and uneven ones, output channels that are not whole
/// vectors (LeNet-5's 6) and several groups of four vectors, one and two threads.
/// </summary>
public class SingleChannelConvTests
{
    public static TheoryData<int, int, int, int, int, int, int, bool> Shapes => new()
    {
        { 16, 20, 20, 3, 3, 16, 1, true },      // the detector's stem, smaller
        { 8, 28, 28, 3, 3, 32, 1, false },      // the LeNet-inspired CNN's conv1
        { 4, 32, 32, 5, 5, 6, 1, false },       // LeNet-5's C1: 6 channels, not a whole vector
        { 3, 17, 13, 3, 3, 70, 2, true },       // stride 2 on odd sizes; 70 channels: two groups, the last partial
        { 2, 19, 21, 7, 7, 8, 3, true },        // a 7×7 window, stride 3
        { 2, 15, 15, 3, 2, 12, 1, false },      // an uneven window
        { 1, 1, 40, 1, 5, 33, 1, true },        // a single row (1-D), 33 channels
    };

    [Theory]
    [MemberData(nameof(Shapes))]
    public void ForwardAndWeightGradientMatchTheDirectConvolution(int n, int h, int w, int kh, int kw, int oc, int stride, bool same)
    {
        foreach (int dilation in new[] { 1, 2 })
        {
            if (!same && (h - (kh - 1) * dilation < 1 || w - (kw - 1) * dilation < 1)) continue;
            var g = Conv2DGeometry.Create(n, h, w, 1, kh, kw, oc, stride, stride, same, dilation, dilation);
            Assert.True(SingleChannelConv.Applies(g));
            var random = new Random(h * 31 + oc + dilation);
            float[] x = ConvolutionTests.Random(random, g.InputLength), wt = ConvolutionTests.Random(random, g.WeightLength);
            float[] b = ConvolutionTests.Random(random, oc), dy = ConvolutionTests.Random(random, g.OutputLength);
            float[] startW = ConvolutionTests.Random(random, g.WeightLength);   // the gradient accumulates into what is there
            var (expectedY, expectedDw) = (new float[g.OutputLength], (float[])startW.Clone());
            ReferenceConv2D.Forward(g, x, wt, b, expectedY);
            ReferenceConv2D.BackwardWeights(g, x, dy, expectedDw);
            foreach (int threads in new[] { 1, 2 })
            {
                var (y, dw, withoutBias, clipped) = (new float[g.OutputLength], (float[])startW.Clone(), new float[g.OutputLength], new float[g.OutputLength]);
                Gemm.GemmTests.WithThreads(threads, () =>
                {
                    Conv2DKernels.Forward(g, x, wt, b, y);
                    Conv2DKernels.Forward(g, x, wt, default, withoutBias);
                    Conv2DKernels.Forward(g, x, wt, b, clipped, relu: true);
                    Conv2DKernels.BackwardWeights(g, x, dy, dw, default);
                });
                string where = $"{kh}×{kw} dilation {dilation}, {threads} thread(s)";
                Close(expectedY, y, kh * kw, "forward, " + where);
                for (int i = 0; i < y.Length; i++) Assert.Equal(y[i] - b[i % oc], withoutBias[i], 1e-5);
                for (int i = 0; i < y.Length; i++) Assert.Equal(Math.Max(y[i], 0f), clipped[i]);   // the ReLU clips as it writes
                Close(expectedDw, dw, g.Batch * g.OutPixels, "weight gradient, " + where);
            }
        }
    }

    [Fact]
    public void ManyChannelsOrLargeWindowsStayOnIm2Col()
    {
        Assert.False(SingleChannelConv.Applies(Conv2DGeometry.Create(1, 24, 24, 2, 3, 3, 16, 1, 1, true)));
        Assert.False(SingleChannelConv.Applies(Conv2DGeometry.Create(1, 24, 24, 1, 9, 9, 16, 1, 1, true)));
    }

    private static void Close(float[] expected, float[] actual, int terms, string what) => WinogradTests.Close(expected, actual, terms, what);
}
