using Trilobite.Backends;
using static Trilobite.Tests.Backends.BackendTesting;

namespace Trilobite.Tests.Backends;

/// <summary>Batch normalisation (training and inference, both passes) and row softmax, Cpu against Reference.</summary>
public class NormalizationBackendTests
{
    [Theory]
    [InlineData(1, 1, false)]
    [InlineData(4, 3, false)]
    [InlineData(7, 8, false)]
    [InlineData(33, 19, false)]
    [InlineData(9000, 19, false)]   // several fixed-size blocks of rows, each summed on its own
    [InlineData(200, 64, false)]
    [InlineData(33, 19, true)]      // a ReLU fused in: forward max(·, 0), backward masked by the output
    [InlineData(9000, 19, true)]
    [InlineData(200, 64, true)]
    public void BatchNormalizationAgreesInBothModesAndBothPasses(int rows, int channels, bool relu)
    {
        var x = Values(rows * channels, 1, -2, 6);   // a mean far from 0: the centring must not cancel the variance away
        var (xc, xr) = Both(x);
        var (gc, gr) = Both(Values(channels, 2, 0.5f, 1.5f));
        var (bc, br) = Both(Values(channels, 3));
        var (mmc, mmr) = Both(Values(channels, 4, -1, 1));
        var (mvc, mvr) = Both(Values(channels, 5, 0.5f, 2f));
        var (yc, yr) = Both(new float[x.Length]);
        var (muc, mur) = Both(new float[channels]);
        var (sc, sr) = Both(new float[channels]);
        Cpu.BatchNormTraining(xc, channels, gc, bc, 1e-3f, 0.99f, mmc, mvc, yc, muc, sc, relu);
        Reference.BatchNormTraining(xr, channels, gr, br, 1e-3f, 0.99f, mmr, mvr, yr, mur, sr, relu);
        Agree(yr, yc, 1e-5, 1e-5, "BN training forward");
        Agree(mur, muc, 1e-5, 1e-5, "BN batch mean");
        Agree(sr, sc, 1e-5, 1e-5, "BN inverse std");
        Agree(mmr, mmc, 1e-5, 1e-5, "BN moving mean");
        Agree(mvr, mvc, 1e-5, 1e-5, "BN moving variance");
        if (relu) Assert.True(Read(yc).All(v => v >= 0) && Read(yc).Count(v => v == 0) > x.Length / 10, "the fused ReLU clips the outputs at 0");
        var (zc, zr) = relu ? Mask(yc) : (default, default);   // both backends mask with the same outputs

        var dy = Values(x.Length, 6);
        var (dyc, dyr) = Both(dy);
        var (dxc, dxr) = Both(Values(x.Length, 7));
        var (dgc, dgr) = Both(Values(channels, 8));
        var (dbc, dbr) = Both(Values(channels, 9));
        Cpu.BatchNormBackward(xc, dyc, channels, gc, muc, sc, dxc, dgc, dbc, zc);
        Reference.BatchNormBackward(xr, dyr, channels, gr, mur, sr, dxr, dgr, dbr, zr);
        double sums = 1e-5 * Math.Sqrt(rows);
        Agree(dxr, dxc, 1e-5, 1e-4, "BN training input gradient");
        Agree(dgr, dgc, sums, 1e-5, "BN γ gradient");
        Agree(dbr, dbc, sums, 1e-5, "BN β gradient");
        var (frozenC, frozenR) = Both(Values(x.Length, 7));   // γ and β frozen: only dx
        Cpu.BatchNormBackward(xc, dyc, channels, gc, muc, sc, frozenC, default, default, zc);
        Reference.BatchNormBackward(xr, dyr, channels, gr, mur, sr, frozenR, default, default, zr);
        Agree(frozenR, frozenC, 1e-5, 1e-4, "BN training input gradient with γ, β frozen");

        Cpu.BatchNormInference(xc, channels, gc, bc, 1e-3f, mmc, mvc, yc, sc, relu);
        Reference.BatchNormInference(xr, channels, gr, br, 1e-3f, mmr, mvr, yr, sr, relu);
        Agree(yr, yc, 1e-5, 1e-5, "BN inference forward");
        Agree(sr, sc, 1e-6, 1e-6, "BN inference inverse std");
        (zc, zr) = relu ? Mask(yc) : (default, default);
        Cpu.BatchNormBackwardInference(xc, dyc, channels, gc, mmc, sc, dxc, dgc, dbc, zc);
        Reference.BatchNormBackwardInference(xr, dyr, channels, gr, mmr, sr, dxr, dgr, dbr, zr);
        Agree(dxr, dxc, 1e-5, 1e-4, "BN inference input gradient");
        Agree(dgr, dgc, sums, 1e-5, "BN inference γ gradient");
        Agree(dbr, dbc, sums, 1e-5, "BN inference β gradient");
    }

    /// <summary>The Cpu backend's outputs on both devices, as the fused ReLU's mask.</summary>
    private static (StorageView Cpu, StorageView Reference) Mask(StorageView outputs) => Both(Read(outputs).Select(v => (float)v).ToArray());

    [Theory]
    [InlineData(1, 1)]
    [InlineData(3, 7)]
    [InlineData(5, 10)]
    [InlineData(2, 1000)]
    public void SoftmaxAndLogSoftmaxAgreeForLargeAndInfiniteScores(int rows, int width)
    {
        var x = Values(rows * width, 1, -30, 30);
        x[0] = float.NegativeInfinity;   // a class that can never win
        if (x.Length > 2) x[2] = 88f;    // exp(88) overflows float without the max subtracted
        var (xc, xr) = Both(x);
        var (yc, yr) = Both(new float[x.Length]);
        var (lc, lr) = Both(new float[x.Length]);
        Cpu.Softmax(xc, width, yc);
        Reference.Softmax(xr, width, yr);
        Agree(yr, yc, 1e-7, 1e-5, "Softmax");
        Cpu.LogSoftmax(xc, width, lc);
        Reference.LogSoftmax(xr, width, lr);
        Agree(lr, lc, 1e-5, 1e-6, "LogSoftmax");

        var (dyc, dyr) = Both(Values(x.Length, 2));
        var (dxc, dxr) = Both(Values(x.Length, 3));
        Cpu.SoftmaxBackward(yc, dyc, width, dxc);
        Reference.SoftmaxBackward(yr, dyr, width, dxr);
        Agree(dxr, dxc, 1e-5, 1e-5, "Softmax backward");
        Cpu.LogSoftmaxBackward(lc, dyc, width, dxc);
        Reference.LogSoftmaxBackward(lr, dyr, width, dxr);
        Agree(dxr, dxc, 1e-4, 1e-5, "LogSoftmax backward");
    }
}
