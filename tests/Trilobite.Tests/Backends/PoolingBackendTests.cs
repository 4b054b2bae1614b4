using Trilobite.Backends;
using Trilobite.Kernels;
using static Trilobite.Tests.Backends.BackendTesting;

namespace Trilobite.Tests.Backends;

/// <summary>Max, average and global pooling, Cpu against Reference, with ties, NaN, padding and channel tails.</summary>
public class PoolingBackendTests
{
    public static TheoryData<int, int, int, int, int, int, bool> Shapes => new()
    {
        // n, h, w, c, pool, stride, same
        { 2, 9, 7, 3, 2, 2, false }, { 2, 9, 7, 3, 3, 2, true }, { 1, 8, 8, 16, 2, 1, true }, { 3, 5, 6, 11, 3, 4, false },
        { 1, 24, 24, 64, 2, 2, false }, { 1, 4, 4, 9, 4, 4, true },
    };

    [Theory]
    [MemberData(nameof(Shapes))]
    public void MaxPoolingAgreesWithTiesAndNaN(int n, int h, int w, int c, int pool, int stride, bool same)
    {
        var g = Conv2DGeometry.Create(n, h, w, c, pool, pool, c, stride, stride, same);
        var x = Values(g.InputLength, 1, specials: true);
        for (int i = 0; i < x.Length; i += 7) x[i] = 0.5f;   // ties: the first maximum must win on both
        for (int i = 3; i < x.Length; i += 19) x[i] = float.NaN;
        var (xc, xr) = Both(x);
        var (yc, yr) = Both(new float[g.OutputLength]);
        var saved = Cpu.MaxPool2DForward(g, xc, yc, forBackward: true);
        var savedReference = Reference.MaxPool2DForward(g, xr, yr, forBackward: true);
        Agree(yr, yc, 0, 0, "MaxPool forward");
        var (dyc, dyr) = Both(Values(g.OutputLength, 2));
        var (dxc, dxr) = Both(Values(g.InputLength, 3));
        Cpu.MaxPool2DBackward(g, xc, yc, dyc, saved, dxc);
        Reference.MaxPool2DBackward(g, xr, yr, dyr, savedReference, dxr);
        Agree(dxr, dxc, 1e-6, 1e-6, "MaxPool backward (the gradient reaches the same winners)");
        if (saved != null) Cpu.Release(saved);
    }

    [Theory]
    [MemberData(nameof(Shapes))]
    public void AveragePoolingAgrees(int n, int h, int w, int c, int pool, int stride, bool same)
    {
        var g = Conv2DGeometry.Create(n, h, w, c, pool, pool, c, stride, stride, same);
        var (xc, xr) = Both(Values(g.InputLength, 4));
        var (yc, yr) = Both(new float[g.OutputLength]);
        Cpu.AvgPool2DForward(g, xc, yc);
        Reference.AvgPool2DForward(g, xr, yr);
        Agree(yr, yc, 1e-6, 1e-6, "AvgPool forward");
        var (dyc, dyr) = Both(Values(g.OutputLength, 5));
        var (dxc, dxr) = Both(Values(g.InputLength, 6));
        Cpu.AvgPool2DBackward(g, dyc, dxc);
        Reference.AvgPool2DBackward(g, dyr, dxr);
        Agree(dxr, dxc, 1e-6, 1e-6, "AvgPool backward");
    }

    [Theory]
    [InlineData(1, 1, 1)]
    [InlineData(2, 49, 512)]
    [InlineData(3, 7, 13)]
    public void GlobalAveragePoolingAgrees(int batch, int pixels, int channels)
    {
        var (xc, xr) = Both(Values(batch * pixels * channels, 7));
        var (yc, yr) = Both(new float[batch * channels]);
        Cpu.GlobalAvgPool2DForward(batch, pixels, channels, xc, yc);
        Reference.GlobalAvgPool2DForward(batch, pixels, channels, xr, yr);
        Agree(yr, yc, 1e-6, 1e-6, "GlobalAvgPool forward");
        var (dxc, dxr) = Both(Values(batch * pixels * channels, 8));
        Cpu.GlobalAvgPool2DBackward(batch, pixels, channels, yc, dxc);
        Reference.GlobalAvgPool2DBackward(batch, pixels, channels, yr, dxr);
        Agree(dxr, dxc, 1e-6, 1e-6, "GlobalAvgPool backward");
    }

    [Theory]
    [InlineData(1, 1, 1, 1, 1, 1)]
    [InlineData(2, 3, 4, 5, 2, 2)]
    [InlineData(1, 5, 2, 16, 3, 1)]
    [InlineData(3, 2, 7, 9, 1, 4)]
    public void NearestUpsamplingAndItsAdjointAgree(int n, int h, int w, int c, int sh, int sw)
    {
        var g = UpSampling2DGeometry.Create(n, h, w, c, sh, sw);
        var (xc, xr) = Both(Values(g.InputLength, 1, specials: true));
        var (yc, yr) = Both(new float[g.OutputLength]);
        Cpu.UpSampleNearest(g, xc, yc);
        Reference.UpSampleNearest(g, xr, yr);
        Agree(yr, yc, 0, 0, "UpSampling2D forward");
        var (dyc, dyr) = Both(Values(g.OutputLength, 2));
        var (dxc, dxr) = Both(Values(g.InputLength, 3));
        Cpu.UpSampleNearestBackward(g, dyc, dxc);
        Reference.UpSampleNearestBackward(g, dyr, dxr);
        Agree(dxr, dxc, 1e-6, 1e-6, "UpSampling2D backward");
    }

    [Theory]
    [InlineData(1, 1, 1, 1, 1, 1)]
    [InlineData(2, 3, 4, 5, 2, 2)]
    [InlineData(1, 5, 2, 16, 3, 1)]
    [InlineData(3, 2, 7, 9, 1, 4)]
    [InlineData(1, 1, 3, 2, 3, 3)]
    public void BilinearUpsamplingAndItsAdjointAgree(int n, int h, int w, int c, int sh, int sw)
    {
        var g = UpSampling2DGeometry.Create(n, h, w, c, sh, sw);
        var (xc, xr) = Both(Values(g.InputLength, 4));
        var (yc, yr) = Both(new float[g.OutputLength]);
        Cpu.UpSampleBilinear(g, xc, yc);
        Reference.UpSampleBilinear(g, xr, yr);
        Agree(yr, yc, 1e-6, 1e-6, "bilinear forward");
        var (dyc, dyr) = Both(Values(g.OutputLength, 5));
        var (dxc, dxr) = Both(Values(g.InputLength, 6));
        Cpu.UpSampleBilinearBackward(g, dyc, dxc);
        Reference.UpSampleBilinearBackward(g, dyr, dxr);
        Agree(dxr, dxc, 1e-5, 1e-5, "bilinear backward");
    }
}
