using System.Text.Json.Nodes;
using Trilobite.Layers;

namespace Trilobite.Tests.Layers;

/// <summary>
/// ONNX's backend node tests for ConvTranspose, Upsample and Resize (Debian libonnx-testdata 1.12, converted by
/// Golden/onnx_nodes.py) reproduced through Trilobite's layers after converting NCHW to NHWC and ONNX's kernel
/// (C_in, C_out, kH, kW) to Keras's (kH, kW, C_out, C_in). ONNX's pads, output_padding, output_shape and auto_pad
/// become a 'valid' Conv2DTranspose (with output padding where ONNX's output reaches past the full result) and a
/// Cropping2D; a 1-D case is a 1 × k kernel on a one-row image. Not expressible: the 3-D case (no volumetric
/// convolution), listed in the fixture's "skipped".
/// </summary>
public class OnnxNodeConformanceTests
{
    private static readonly JsonNode Fixture = JsonNode.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Layers", "Golden", "onnx_nodes.json")))!;

    public static TheoryData<string> Names() => [.. CaseNames()];

    private static string[] CaseNames() => [.. Fixture["cases"]!.AsArray().Select(c => c!["name"]!.GetValue<string>())];

    private static JsonNode Case(string name) => Fixture["cases"]!.AsArray().Single(c => c!["name"]!.GetValue<string>() == name)!;
    private static int[] Ints(JsonNode? n) => [.. n!.AsArray().Select(v => v!.GetValue<int>())];
    private static (int[] Shape, float[] Values) TensorOf(JsonNode n) => (Ints(n["shape"]), [.. n["values"]!.AsArray().Select(v => (float)v!.GetValue<double>())]);
    private static int[]? Attribute(JsonNode c, string key) => c["attributes"]![key] is JsonArray a ? Ints(a) : null;

    [Theory]
    [MemberData(nameof(Names))]
    public void ReproducesThroughOurLayers(string name)
    {
        var c = Case(name);
        var (xShape, xValues) = TensorOf(c["inputs"]![0]!);
        var (expectedShape, expected) = TensorOf(c["outputs"]![0]!);
        bool oneD = xShape.Length == 3;
        if (oneD) { xShape = [xShape[0], xShape[1], 1, xShape[2]]; expectedShape = [expectedShape[0], expectedShape[1], 1, expectedShape[2]]; }
        var x = Tensor.FromArray(ToNhwc(xValues, xShape), [xShape[0], xShape[2], xShape[3], xShape[1]]);
        var y = c["op"]!.GetValue<string>() switch
        {
            "ConvTranspose" => ConvTranspose(c, x, oneD),
            "Upsample" or "Resize" => Upsample(c, x),
            var op => throw new InvalidOperationException($"no mapping for ONNX {op}"),
        };
        Assert.Equal([expectedShape[0], expectedShape[2], expectedShape[3], expectedShape[1]], y.ShapeArray);
        float[] got = ToNchw(y.ToArray(), y.ShapeArray);
        for (int i = 0; i < expected.Length; i++)
            Assert.True(Math.Abs(expected[i] - got[i]) <= 1e-5f * (1 + Math.Abs(expected[i])), $"{name} value {i}: {got[i]} vs ONNX {expected[i]}");
    }

    /// <summary>ONNX ConvTranspose as Conv2DTranspose('valid', output padding) + Cropping2D, by the operator's output-size rules.</summary>
    private static Tensor ConvTranspose(JsonNode c, Tensor x, bool oneD)
    {
        var (wShape, wValues) = TensorOf(c["inputs"]![1]!);
        if (oneD) wShape = [wShape[0], wShape[1], 1, wShape[2]];
        int cIn = wShape[0], cOut = wShape[1], kh = wShape[2], kw = wShape[3];
        int[] Pair(string key, int fallback) => Attribute(c, key) is { } v ? (oneD ? [fallback, v[0]] : v) : [fallback, fallback];
        int[] strides = Pair("strides", 1), dilations = Pair("dilations", 1), outputPadding = Pair("output_padding", 0);
        int[] pads = Attribute(c, "pads") is { } p ? (oneD ? [0, p[0], 0, p[1]] : p) : [0, 0, 0, 0];
        int[] n = [x.Dim(1), x.Dim(2)], k = [kh, kw];
        string autoPad = c["attributes"]!["auto_pad"]?.GetValue<string>() ?? "NOTSET";
        int[]? outputShape = Attribute(c, "output_shape") is { } os ? (oneD ? [1, os[0]] : os) : null;

        // Per axis: the full result's length, ONNX's output length and the rows it starts at.
        var begin = new int[2];
        var length = new int[2];
        var full = new int[2];
        for (int a = 0; a < 2; a++)
        {
            full[a] = (n[a] - 1) * strides[a] + (k[a] - 1) * dilations[a] + 1;
            int? target = outputShape?[a] ?? (autoPad is "SAME_UPPER" or "SAME_LOWER" ? n[a] * strides[a] : null);
            if (target is int t)
            {
                // total_padding = s·(n − 1) + output_padding + ((k − 1)·d + 1) − output_shape, split as onnx 1.12's reference:
                // SAME_UPPER puts the odd row at the end, everything else at the start; a negative total (an output longer
                // than the full result) is zero rows at the end.
                int total = full[a] + outputPadding[a] - t;
                begin[a] = total <= 0 ? 0 : autoPad == "SAME_UPPER" ? total / 2 : total - total / 2;
                length[a] = t;
            }
            else
            {
                begin[a] = pads[a];
                length[a] = full[a] + outputPadding[a] - pads[a] - pads[a + 2];
            }
        }
        // Rows past the full result are zeros: Keras's output padding; rows before or after ONNX's output are cropped.
        int extendH = Math.Max(0, begin[0] + length[0] - full[0]), extendW = Math.Max(0, begin[1] + length[1] - full[1]);
        var transpose = new Conv2DTranspose(cOut, (kh, kw), (strides[0], strides[1]), Padding.Valid, (extendH, extendW), useBias: false,
            dilationRate: (dilations[0], dilations[1]), inputShape: [n[0], n[1], cIn]);
        var crop = new Cropping2D((begin[0], full[0] + extendH - begin[0] - length[0], begin[1], full[1] + extendW - begin[1] - length[1]));
        var model = new Sequential(transpose, crop);
        // ONNX (C_in, C_out, kH, kW) → Keras (kH, kW, C_out, C_in).
        var kernel = new float[wValues.Length];
        for (int i = 0; i < cIn; i++)
            for (int o = 0; o < cOut; o++)
                for (int r = 0; r < kh; r++)
                    for (int q = 0; q < kw; q++) kernel[((r * kw + q) * cOut + o) * cIn + i] = wValues[((i * cOut + o) * kh + r) * kw + q];
        transpose.Kernel.Assign(kernel);
        return model.Predict(x);
    }

    /// <summary>ONNX nearest Upsample / Resize by whole scales (N and C by 1) as UpSampling2D(nearest).</summary>
    private static Tensor Upsample(JsonNode c, Tensor x)
    {
        Assert.Equal("nearest", c["attributes"]!["mode"]!.GetValue<string>());
        var inputs = c["inputs"]!.AsArray();
        var (_, scales) = TensorOf(inputs[inputs.Count - 1]!);
        Assert.Equal([1f, 1f], scales[..2]);
        Assert.True(scales[2] == MathF.Floor(scales[2]) && scales[3] == MathF.Floor(scales[3]), "whole scales only");
        return new UpSampling2D(((int)scales[2], (int)scales[3])).Call(x);
    }

    private static float[] ToNhwc(float[] v, int[] nchw)
    {
        int n = nchw[0], c = nchw[1], h = nchw[2], w = nchw[3];
        var r = new float[v.Length];
        for (int b = 0; b < n; b++) for (int ch = 0; ch < c; ch++) for (int y = 0; y < h; y++) for (int x = 0; x < w; x++)
                        r[((b * h + y) * w + x) * c + ch] = v[((b * c + ch) * h + y) * w + x];
        return r;
    }

    private static float[] ToNchw(float[] v, int[] nhwc)
    {
        int n = nhwc[0], h = nhwc[1], w = nhwc[2], c = nhwc[3];
        var r = new float[v.Length];
        for (int b = 0; b < n; b++) for (int ch = 0; ch < c; ch++) for (int y = 0; y < h; y++) for (int x = 0; x < w; x++)
                        r[((b * c + ch) * h + y) * w + x] = v[((b * h + y) * w + x) * c + ch];
        return r;
    }

    [Fact]
    public void TheFixtureCoversEveryTwoDimensionalCaseOfTheSuite()
    {
        string[] names = CaseNames();
        Assert.Equal(9, names.Count(n => n.StartsWith("test_convtranspose", StringComparison.Ordinal)));
        Assert.Contains("test_upsample_nearest", names);
        Assert.Contains("test_resize_upsample_scales_nearest", names);
        Assert.NotNull(Fixture["skipped"]!["test_convtranspose_3d"]);
        // Where Debian's suite is installed, every ConvTranspose case in it is either reproduced or listed as skipped.
        const string suite = "/usr/share/libonnx-testdata/data/node";
        if (!Directory.Exists(suite)) return;
        foreach (string dir in Directory.GetDirectories(suite, "test_convtranspose*"))
        {
            string name = Path.GetFileName(dir);
            Assert.True(names.Contains(name) || Fixture["skipped"]![name] != null, $"{name} is in the suite but not in onnx_nodes.json");
        }
    }
}
