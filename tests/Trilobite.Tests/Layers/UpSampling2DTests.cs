using System.Text.Json.Nodes;
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
    public void NearestAndBilinearAreOffered()
    {
        var ex = Assert.Throws<ArgumentException>(() => new UpSampling2D((2, 2), "bicubic"));
        Assert.Contains("'bicubic' is not supported; Trilobite has 'nearest' (Keras's default) and 'bilinear'", ex.Message);
        Assert.Throws<ArgumentOutOfRangeException>(() => new UpSampling2D(0));
        Assert.Contains("\"interpolation\":\"nearest\"", new UpSampling2D(2).GetConfig().ToJsonString());
        Assert.Contains("\"interpolation\":\"bilinear\"", new UpSampling2D((2, 2), "bilinear").GetConfig().ToJsonString());
    }

    private static readonly JsonArray BilinearCases = (JsonArray)JsonNode.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Layers", "Golden", "upsampling_bilinear.json")))!["cases"]!;

    public static TheoryData<int, string> BilinearIndices
    {
        get
        {
            var data = new TheoryData<int, string>();
            for (int i = 0; i < BilinearCases.Count; i++) foreach (var device in new[] { "cpu", "reference" }) data.Add(i, device);
            return data;
        }
    }

    /// <summary>Golden/upsampling_bilinear.py: PyTorch's interpolate(mode="bilinear", align_corners=False) on 20 sizes and factors.</summary>
    [Theory]
    [MemberData(nameof(BilinearIndices))]
    public void BilinearMatchesPyTorchsHalfPixelInterpolation(int index, string device)
    {
        using var _ = DefaultDevice.Use(device);
        var c = BilinearCases[index]!;
        int[] input = [.. c["input"]!.AsArray().Select(v => v!.GetValue<int>())], size = [.. c["size"]!.AsArray().Select(v => v!.GetValue<int>())];
        float[] x = [.. c["x"]!.AsArray().Select(v => (float)v!.GetValue<double>())], expected = [.. c["y"]!.AsArray().Select(v => (float)v!.GetValue<double>())];
        var y = new UpSampling2D((size[0], size[1]), "bilinear").Call(Tensor.FromArray(x, [2, .. input])).ToArray();
        Assert.Equal(expected.Length, y.Length);
        for (int i = 0; i < y.Length; i++) Assert.True(Math.Abs(y[i] - expected[i]) < 1e-5f, $"case {index} value {i}: {y[i]} vs torch {expected[i]}");
    }

    private static readonly JsonArray ResizeCases = (JsonArray)JsonNode.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Layers", "Golden", "resize_nearest.json")))!["cases"]!;

    public static TheoryData<int, string> ResizeIndices()
    {
        var data = new TheoryData<int, string>();
        for (int i = 0; i < ResizeCases.Count; i++) { data.Add(i, "cpu"); data.Add(i, "reference"); }
        return data;
    }

    /// <summary>Golden/resize_nearest.py: PyTorch's interpolate(size=…, mode="nearest"), odd sizes, shrinking and growing.</summary>
    [Theory]
    [MemberData(nameof(ResizeIndices))]
    public void ToSizeMatchesPyTorchsNearestInterpolate(int index, string device)
    {
        using var _ = DefaultDevice.Use(device);
        var c = ResizeCases[index]!;
        int[] input = [.. c["input"]!.AsArray().Select(v => v!.GetValue<int>())], size = [.. c["size"]!.AsArray().Select(v => v!.GetValue<int>())];
        float[] x = [.. c["x"]!.AsArray().Select(v => (float)v!.GetValue<double>())], expected = [.. c["y"]!.AsArray().Select(v => (float)v!.GetValue<double>())];
        var layer = UpSampling2D.ToSize(size[0], size[1]);
        var y = layer.Call(Tensor.FromArray(x, [2, .. input]));
        Assert.Equal([2, size[0], size[1], input[2]], y.ShapeArray);
        Assert.Equal(expected, y.ToArray());
        Assert.Contains("\"target_size\":[" + size[0] + "," + size[1] + "]", layer.GetConfig().ToJsonString());
    }
}
