using System.Text.Json.Nodes;
using Trilobite.Layers;

namespace Trilobite.Tests.Layers;

/// <summary>
/// Conv2DTranspose against PyTorch's conv_transpose2d with Keras's output size and TensorFlow's choice of rows
/// (Golden/conv_transpose.py: strides 1–3, kernels 1–5, both paddings, every output padding, a dilated and a
/// rectangular case), on both devices; and as the adjoint of Conv2D: ⟨conv(y), x⟩ = ⟨y, convT(x)⟩.
/// </summary>
public class Conv2DTransposeTests
{
    private static readonly JsonArray Cases = (JsonArray)JsonNode.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Layers", "Golden", "conv_transpose.json")))!["cases"]!;

    public static TheoryData<int, string> Indices
    {
        get
        {
            var data = new TheoryData<int, string>();
            for (int i = 0; i < Cases.Count; i++) foreach (var device in new[] { "cpu", "reference" }) data.Add(i, device);
            return data;
        }
    }

    private static int[] Ints(JsonNode? n) => [.. n!.AsArray().Select(v => v!.GetValue<int>())];
    private static float[] Floats(JsonNode? n) => [.. n!.AsArray().Select(v => (float)v!.GetValue<double>())];

    [Theory]
    [MemberData(nameof(Indices))]
    public void MatchesPyTorchWithKerasPadding(int index, string device)
    {
        using var _ = DefaultDevice.Use(device);
        var c = Cases[index]!;
        int[] input = Ints(c["input"]), kernel = Ints(c["kernel"]), strides = Ints(c["strides"]), dilation = Ints(c["dilation"]);
        int[]? outputPadding = c["output_padding"] is JsonArray p ? Ints(p) : null;
        var layer = new Conv2DTranspose(c["filters"]!.GetValue<int>(), (kernel[0], kernel[1]), (strides[0], strides[1]),
            c["padding"]!.GetValue<string>() == "same" ? Padding.Same : Padding.Valid,
            outputPadding is null ? null : (outputPadding[0], outputPadding[1]), useBias: false, dilationRate: (dilation[0], dilation[1]),
            inputShape: input);
        var model = new Sequential(layer);
        layer.Kernel.Assign(Floats(c["kernel_values"]));
        var x = Tensor.FromArray(Floats(c["x"]), [2, .. input]);
        var y = model.Predict(x);
        Assert.Equal(Ints(c["output_shape"]), y.ShapeArray);
        Assert.Equal(Ints(c["output_shape"])[1..], model.OutputShape);
        float[] expected = Floats(c["y"]), actual = y.ToArray();
        for (int i = 0; i < expected.Length; i++)
            Assert.True(Math.Abs(expected[i] - actual[i]) <= 1e-4f * (1 + Math.Abs(expected[i])), $"case {index} value {i}: {actual[i]} vs torch {expected[i]}");
    }

    [Theory]
    [InlineData(3, 2, "same")]
    [InlineData(4, 2, "same")]
    [InlineData(1, 2, "same")]
    [InlineData(5, 3, "same")]
    [InlineData(3, 1, "same")]
    [InlineData(3, 2, "valid")]
    [InlineData(2, 3, "valid")]
    public void IsTheAdjointOfConv2D(int k, int s, string padding)
    {
        // Conv2D maps (n·s [+ k − s]) → n; its transpose maps n back. ⟨conv(y), x⟩ = ⟨y, convT(x)⟩ for every x, y.
        var pad = padding == "same" ? Padding.Same : Padding.Valid;
        var transpose = new Conv2DTranspose(3, k, s, pad, useBias: false, inputShape: [4, 5, 2]);
        var model = new Sequential(transpose);
        var x = Tensor.Uniform([2, 4, 5, 2], -1, 1, 21);
        var convT = model.Predict(x);
        var y = Tensor.Uniform(convT.ShapeArray, -1, 1, 22);
        var conv = y.Conv2D(transpose.Kernel.Value, null, (s, s), pad, (1, 1));    // kernel (k, k, 3, 2): 3 channels → 2
        Assert.Equal(x.ShapeArray, conv.ShapeArray);
        double left = conv.ToArray().Zip(x.ToArray()).Sum(p => (double)p.First * p.Second);
        double right = y.ToArray().Zip(convT.ToArray()).Sum(p => (double)p.First * p.Second);
        Assert.Equal(left, right, 3);
    }

    [Fact]
    public void UNetsUpStepDoublesTheSizeAndCountsKerasParameters()
    {
        // keras.layers.Conv2DTranspose(64, 2, strides=2) on (28, 28, 128): 2·2·64·128 + 64 = 32,832 parameters.
        var model = new Sequential(new Conv2DTranspose(64, 2, strides: 2, inputShape: [28, 28, 128]));
        Assert.Equal([56, 56, 64], model.OutputShape);
        Assert.Equal(32_832, model.Weights.Sum(w => w.Value.Length));
        Assert.Equal([2, 2, 64, 128], model.Weights[0].Value.ShapeArray);
    }

    [Fact]
    public void ConfigsRoundTripAndNonsenseIsRefused()
    {
        var layer = new Conv2DTranspose(8, (3, 2), (2, 2), Padding.Same, (1, 0), Activation.ReLU);
        string json = layer.GetConfig().ToJsonString();
        Assert.Contains("\"output_padding\":[1,0]", json);
        Assert.Contains("\"kernel_size\":[3,2]", json);
        Assert.Contains("output_padding must be at least 0 and less than the stride", Assert.Throws<ArgumentException>(() => new Conv2DTranspose(4, 3, 2, outputPadding: 2)).Message);
        Assert.Throws<ArgumentOutOfRangeException>(() => new Conv2DTranspose(0, 3));
        Assert.Contains("kernel_size must be at least 1", Assert.Throws<ArgumentException>(() => new Conv2DTranspose(4, 0)).Message);
    }
}
