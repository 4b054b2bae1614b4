using Trilobite.Layers;

namespace Trilobite.Tests.Layers;

/// <summary>UpSampling2D against Keras's nearest-neighbour rule, on both devices.</summary>
public class UpSampling2DTests
{
    [Theory]
    [MemberData(nameof(DefaultDevice.Both), MemberType = typeof(DefaultDevice))]
    public void EachPixelBecomesABlock(string device)
    {
        using var _ = DefaultDevice.Use(device);
        // keras.layers.UpSampling2D((2, 3)) on [[1, 2], [3, 4]] (one channel).
        var y = new UpSampling2D((2, 3)).Call(Tensor.FromArray([1, 2, 3, 4], 1, 2, 2, 1));
        Assert.Equal([1, 4, 6, 1], y.ShapeArray);
        Assert.Equal(new float[] { 1, 1, 1, 2, 2, 2, 1, 1, 1, 2, 2, 2, 3, 3, 3, 4, 4, 4, 3, 3, 3, 4, 4, 4 }, y.ToArray());
    }

    [Fact]
    public void OnlyNearestInterpolationIsOffered()
    {
        var ex = Assert.Throws<ArgumentException>(() => new UpSampling2D((2, 2), "bilinear"));
        Assert.Contains("'bilinear' is not supported", ex.Message);
        Assert.Throws<ArgumentOutOfRangeException>(() => new UpSampling2D(0));
        Assert.Contains("\"interpolation\":\"nearest\"", new UpSampling2D(2).GetConfig().ToJsonString());
    }
}
