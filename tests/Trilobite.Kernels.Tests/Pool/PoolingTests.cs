namespace Trilobite.Kernels.Tests.Pool;

public class PoolingTests
{
    /// <summary>The lecture's 4×4 map max-pooled with a 2×2 window, stride 2.</summary>
    [Fact]
    public void LectureMaxPoolExample()
    {
        float[] map = [1, 2, 1, 4, 5, 1, 2, 6, 3, 0, 3, 1, 7, 4, 2, 1];
        var g = Conv2DGeometry.Create(1, 4, 4, 1, 2, 2, 1, 2, 2, same: false);
        var y = new float[4];
        var argmax = new int[4];
        PoolKernels.MaxForward(g, map, y, argmax);
        Assert.Equal([5f, 6, 7, 3], y);
        var dx = new float[16];
        PoolKernels.MaxBackward([1, 1, 1, 1], argmax, dx);
        Assert.Equal([4, 7, 10, 12], Enumerable.Range(0, 16).Where(i => dx[i] == 1));
    }

    [Fact]
    public void SameMaxPoolIgnoresPadding()
    {
        // All-negative 3×3 input, pool 2 stride 2 'same' → 2×2 output; padded cells (0) must not win.
        float[] x = [-1, -2, -3, -4, -5, -6, -7, -8, -9];
        var g = Conv2DGeometry.Create(1, 3, 3, 1, 2, 2, 1, 2, 2, same: true);
        var y = new float[4];
        PoolKernels.MaxForward(g, x, y, new int[4]);
        Assert.Equal([-1f, -3, -7, -9], y);
    }

    [Fact]
    public void SameAveragePoolCountsOnlyRealPixels()
    {
        float[] x = [1, 2, 3, 4, 5, 6, 7, 8, 9];
        var g = Conv2DGeometry.Create(1, 3, 3, 1, 2, 2, 1, 2, 2, same: true);
        var y = new float[4];
        PoolKernels.AverageForward(g, x, y);
        Assert.Equal([3f, 4.5f, 7.5f, 9], y);
    }

    [Fact]
    public void GlobalAverage()
    {
        float[] x = [1, 10, 2, 20, 3, 30, 4, 40]; // (1, 2, 2, 2)
        var y = new float[2];
        PoolKernels.GlobalAverageForward(1, 4, 2, x, y);
        Assert.Equal([2.5f, 25], y);
    }
}
