namespace Trilobite.Tests.Tensors;

public class TensorTests
{
    [Theory]
    [MemberData(nameof(DefaultDevice.Both), MemberType = typeof(DefaultDevice))]
    public void ReshapeInfersAndSharesStorage(string device)
    {
        using var _ = DefaultDevice.Use(device);
        var t = Tensor.FromArray([1, 2, 3, 4, 5, 6], 2, 3);
        var r = t.Reshape(3, -1);
        Assert.Equal([3, 2], r.ShapeArray);
        r[0, 0] = 9;
        Assert.Equal(9, t[0, 0]);
    }

    [Theory]
    [MemberData(nameof(DefaultDevice.Both), MemberType = typeof(DefaultDevice))]
    public void ShapeErrorsPrintBothShapes(string device)
    {
        using var _ = DefaultDevice.Use(device);
        var ex = Assert.Throws<ArgumentException>(() => Tensor.Ones(2, 3).Reshape(4, 2));
        Assert.Contains("(2, 3)", ex.Message);
        Assert.Contains("(4, 2)", ex.Message);
        var mm = Assert.Throws<ArgumentException>(() => Tensor.Ones(2, 3).MatMul(Tensor.Ones(4, 5)));
        Assert.Contains("(2, 3)", mm.Message);
        Assert.Contains("(4, 5)", mm.Message);
    }

    [Theory]
    [MemberData(nameof(DefaultDevice.Both), MemberType = typeof(DefaultDevice))]
    public void BatchSliceIsAView(string device)
    {
        using var _ = DefaultDevice.Use(device);
        var t = Tensor.FromArray(Enumerable.Range(0, 12).Select(i => (float)i).ToArray(), 4, 3);
        var s = t.Slice(1, 2);
        Assert.Equal([2, 3], s.ShapeArray);
        Assert.Equal([3f, 4, 5, 6, 7, 8], s.ToArray());
    }

    [Fact]
    public void ToStringShowsSmallTensors()
    {
        using var _ = DefaultDevice.Use(Device.Cpu);   // elsewhere the device is named too (DeviceTests)
        Assert.Equal("Tensor(2, 2) [[1, 2], [3, 4.5]]", Tensor.FromArray([1, 2, 3, 4.5f], 2, 2).ToString());
        Assert.Equal("Tensor(100, 100) [10000 elements]", Tensor.Zeros(100, 100).ToString());
    }

    [Theory]
    [MemberData(nameof(DefaultDevice.Both), MemberType = typeof(DefaultDevice))]
    public void SeededCreationIsReproducible(string device)
    {
        using var _ = DefaultDevice.Use(device);
        Assert.Equal(Tensor.Normal([50], 0, 1, 3).ToArray(), Tensor.Normal([50], 0, 1, 3).ToArray());
        Assert.NotEqual(Tensor.Uniform([50], 0, 1, 3).ToArray(), Tensor.Uniform([50], 0, 1, 4).ToArray());
    }

    [Theory]
    [MemberData(nameof(DefaultDevice.Both), MemberType = typeof(DefaultDevice))]
    public void BroadcastArithmetic(string device)
    {
        using var _ = DefaultDevice.Use(device);
        var a = Tensor.FromArray([1, 2, 3, 4, 5, 6], 2, 3);
        var b = Tensor.FromArray([10, 20, 30], 3);
        Assert.Equal([11f, 22, 33, 14, 25, 36], (a + b).ToArray());
        var col = Tensor.FromArray([2, 3], 2, 1);
        Assert.Equal([2f, 4, 6, 12, 15, 18], (a * col).ToArray());
        Assert.Throws<ArgumentException>(() => a + Tensor.Ones(4));
    }
}
