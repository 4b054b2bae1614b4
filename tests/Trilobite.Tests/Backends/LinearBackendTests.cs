using Trilobite.Backends;
using Trilobite.Kernels;
using static Trilobite.Tests.Backends.BackendTesting;

namespace Trilobite.Tests.Backends;

/// <summary>GEMM and the three convolution kernels, Cpu against Reference, over shapes that reach every blocking and tail path.</summary>
public class LinearBackendTests
{
    public static TheoryData<bool, bool, int, int, int> GemmShapes => new()
    {
        { false, false, 1, 1, 1 }, { false, false, 7, 19, 5 }, { true, false, 13, 17, 33 }, { false, true, 6, 16, 256 },
        { true, true, 31, 9, 300 }, { false, false, 1, 300, 77 }, { false, true, 64, 65, 0 }, { false, false, 200, 40, 70 },
    };

    [Theory]
    [MemberData(nameof(GemmShapes))]
    public void GemmAgreesForEveryTransposeAndSize(bool transA, bool transB, int m, int n, int k)
    {
        int lda = (transA ? m : k) + 3, ldb = (transB ? k : n) + 1, ldc = n + 2;   // strided operands
        var a = Values((transA ? k : m) * lda, 1, -1, 1);
        var b = Values((transB ? n : k) * ldb, 2, -1, 1);
        foreach (var (alpha, beta) in new[] { (1f, 0f), (0.5f, 1f), (-2f, 0.25f) })
        {
            var c = Values(m * ldc, 3, -1, 1);
            if (beta == 0) Array.Fill(c, float.NaN);   // β = 0 must not read C
            var (ac, ar) = Both(a);
            var (bc, br) = Both(b);
            var (cc, cr) = Both(c);
            Cpu.Gemm(transA, transB, m, n, k, alpha, ac, lda, bc, ldb, beta, cc, ldc);
            Reference.Gemm(transA, transB, m, n, k, alpha, ar, lda, br, ldb, beta, cr, ldc);
            var expected = Read(cr);
            var actual = Read(cc);
            for (int i = 0; i < m; i++)
                for (int j = 0; j < n; j++)
                {
                    double e = expected[i * ldc + j], g = actual[i * ldc + j];
                    Assert.True(Math.Abs(g - e) <= 1e-5 * (1 + Math.Sqrt(k)), $"GEMM {m}×{n}×{k} α={alpha} β={beta} at ({i}, {j}): cpu {g}, reference {e}.");
                }
        }
    }

    public static TheoryData<int, int, int, int, int, int, int, int, bool, int> ConvShapes => new()
    {
        // n, h, w, c, kh, kw, oc, stride, same, dilation
        { 1, 5, 5, 1, 3, 3, 1, 1, false, 1 },
        { 2, 7, 6, 3, 3, 3, 4, 2, true, 1 },
        { 3, 9, 9, 2, 3, 3, 2, 4, true, 1 },
        { 1, 11, 10, 2, 5, 3, 3, 4, false, 1 },
        { 1, 8, 8, 2, 3, 3, 2, 1, true, 2 },
        { 2, 6, 6, 3, 1, 1, 4, 1, false, 1 },      // pointwise: one GEMM
        { 1, 6, 5, 2, 2, 2, 3, 2, true, 1 },
        { 1, 28, 28, 16, 3, 3, 16, 1, true, 1 },   // batch 1: rows of one image split over threads
        { 4, 12, 12, 9, 3, 3, 17, 1, false, 1 },   // channels off the vector width
    };

    [Theory]
    [MemberData(nameof(ConvShapes))]
    public void ConvolutionForwardAndBothGradientsAgree(int n, int h, int w, int c, int kh, int kw, int oc, int stride, bool same, int dilation)
    {
        var g = Conv2DGeometry.Create(n, h, w, c, kh, kw, oc, stride, stride, same, dilation, dilation);
        var (xc, xr) = Both(Values(g.InputLength, 1, -1, 1));
        var (wc, wr) = Both(Values(g.WeightLength, 2, -1, 1));
        var (bc, br) = Both(Values(oc, 3, -1, 1));
        double tolerance = 1e-5 * Math.Sqrt(g.PatchSize);
        using (ElementwiseBackendTests.Threads(2))
            foreach (bool relu in new[] { false, true })
            {
                var (yc, yr) = Both(new float[g.OutputLength]);
                Cpu.Conv2DForward(g, xc, wc, bc, yc, relu);
                Reference.Conv2DForward(g, xr, wr, br, yr, relu);
                Agree(yr, yc, tolerance, 1e-5, $"Conv2D forward (relu {relu})");
            }
        var dy = Values(g.OutputLength, 4, -1, 1);
        var (dyc, dyr) = Both(dy);
        var (dxc, dxr) = Both(Values(g.InputLength, 5, -1, 1));
        Cpu.Conv2DBackwardData(g, dyc, wc, dxc);
        Reference.Conv2DBackwardData(g, dyr, wr, dxr);
        Agree(dxr, dxc, tolerance, 1e-5, "Conv2D input gradient");
        var (dwc, dwr) = Both(Values(g.WeightLength, 6, -1, 1));
        var (dbc, dbr) = Both(Values(oc, 7, -1, 1));
        Cpu.Conv2DBackwardWeights(g, xc, dyc, dwc, dbc);
        Reference.Conv2DBackwardWeights(g, xr, dyr, dwr, dbr);
        double rows = Math.Sqrt(g.Batch * g.OutPixels);
        Agree(dwr, dwc, 1e-5 * rows, 1e-5, "Conv2D weight gradient");
        Agree(dbr, dbc, 1e-5 * rows, 1e-5, "Conv2D bias gradient");
        // The bias gradient alone (a frozen kernel).
        var (onlyC, onlyR) = Both(new float[oc]);
        Cpu.Conv2DBackwardWeights(g, xc, dyc, default, onlyC);
        Reference.Conv2DBackwardWeights(g, xr, dyr, default, onlyR);
        Agree(onlyR, onlyC, 1e-5 * rows, 1e-5, "Conv2D bias gradient without the kernel's");
    }
}
