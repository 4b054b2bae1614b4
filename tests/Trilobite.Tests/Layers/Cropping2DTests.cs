using Trilobite.Layers;

namespace Trilobite.Tests.Layers;

/// <summary>Cropping2D as Keras cuts, the adjoint of zero padding, and the U-Net paper's centre crop.</summary>
public class Cropping2DTests
{
    [Theory]
    [MemberData(nameof(DefaultDevice.Both), MemberType = typeof(DefaultDevice))]
    public void KeepsTheWindowInsideTheCut(string device)
    {
        using var _ = DefaultDevice.Use(device);
        // keras.layers.Cropping2D(((1, 0), (1, 2))) on a 3×4 image of 0..11 with one channel keeps rows 1–2, column 1.
        var x = Tensor.FromArray([.. Enumerable.Range(0, 12).Select(i => (float)i)], 1, 3, 4, 1);
        var y = new Cropping2D((1, 0, 1, 2)).Call(x);
        Assert.Equal([1, 2, 1, 1], y.ShapeArray);
        Assert.Equal(new float[] { 5, 9 }, y.ToArray());
    }

    [Theory]
    [MemberData(nameof(DefaultDevice.Both), MemberType = typeof(DefaultDevice))]
    public void CroppingIsTheAdjointOfZeroPadding(string device)
    {
        // <crop(x), y> = <x, pad(y)> for every x and y: the backward pass of each is the forward pass of the other.
        using var _ = DefaultDevice.Use(device);
        var x = Tensor.Uniform([2, 7, 6, 3], -1, 1, 11);
        var y = Tensor.Uniform([2, 4, 3, 3], -1, 1, 12);
        double left = Dot(x.Crop2D(1, 2, 2, 1), y), right = Dot(x, y.ZeroPad2D(1, 2, 2, 1));
        Assert.Equal(left, right, 5);
    }

    private static double Dot(Tensor a, Tensor b) => a.ToArray().Zip(b.ToArray()).Sum(p => (double)p.First * p.Second);

    [Theory]
    [InlineData(64, 56, 4, 4)]     // the paper's first skip: 64×64 → 56×56
    [InlineData(17, 12, 2, 3)]     // an odd difference: the extra row comes off the bottom, as torchvision's center_crop
    [InlineData(9, 9, 0, 0)]
    public void CenterCropToMatchesTheTargetSize(int size, int target, int before, int after)
    {
        var big = Input.Of([size, size, 2]);
        var small = Input.Of([target, target, 5]);
        var cropped = Cropping2D.CenterCropTo(big, small);
        Assert.Equal([target, target, 2], cropped.Shape);
        var layer = Assert.IsType<Cropping2D>(cropped.Layer);
        Assert.Equal((before, after, before, after), layer.Crop);
    }

    [Fact]
    public void CroppingThatLeavesNothingOrGrowsIsRefused()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new Cropping2D(-1));
        Assert.Contains("an input larger than the cropping", Assert.Throws<LayerShapeException>(() => new Cropping2D(14).Call(Input.Of([28, 28, 1]))).Message);
        Assert.Contains("is smaller than the target", Assert.Throws<ArgumentException>(() => Cropping2D.CenterCropTo(Input.Of([8, 8, 1]), Input.Of([9, 9, 1]))).Message);
        Assert.Contains("\"cropping\":[[1,2],[3,4]]", new Cropping2D((1, 2, 3, 4)).GetConfig().ToJsonString());
    }
}
