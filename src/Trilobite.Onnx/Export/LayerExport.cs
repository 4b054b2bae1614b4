using Trilobite.Layers;
using static Trilobite.Onnx.Export.OnnxGraphWriter;

namespace Trilobite.Onnx.Export;

/// <summary>
/// Writes one layer call as ONNX nodes. Each exporter takes its inputs' values and returns its output's; layers without
/// an ONNX counterpart raise <see cref="NotSupportedException"/> naming the layer and its type. The per-kind exporters are
/// in the other parts of this class (convolution, pooling and normalisation; shapes and merging; activations).
/// </summary>
internal static partial class LayerExport
{
    public static ExportedValue Write(OnnxGraphWriter g, Layer layer, ExportedValue[] inputs)
    {
        var x = inputs[0];
        return layer switch
        {
            Conv2D conv => Conv(g, conv, x),
            Conv2DTranspose conv => ConvTranspose(g, conv, x),
            Dense dense => DenseLayer(g, dense, x),
            BatchNormalization bn => BatchNorm(g, bn, x),
            MaxPooling2D pool => Pool(g, "MaxPool", pool, x),
            AveragePooling2D pool => Pool(g, "AveragePool", pool, x),
            GlobalAveragePooling2D pool => GlobalPool(g, "GlobalAveragePool", pool, x),
            GlobalMaxPooling2D pool => GlobalPool(g, "GlobalMaxPool", pool, x),
            ActivationLayer a => Activate(g, a.Name, a.Activation, x),
            LeakyReLU l => x with { Name = g.Node("LeakyRelu", l.Name, [x.Name], Float("alpha", (float)l.NegativeSlope)) },
            ElementwiseConstant e => Constant(g, e, x),
            ChannelSlice s => Slice(g, s, x),
            Dropout => x,   // the identity at inference
            Flatten f => FlattenLayer(g, f, x),
            Reshape r => ReshapeLayer(g, r, x),
            ZeroPadding2D p => ZeroPad(g, p, x),
            Cropping2D c => Crop(g, c, x),
            UpSampling2D u => UpSample(g, u, x),
            Add a => AddLayer(g, a, inputs),
            Concatenate c => ConcatenateLayer(g, c, inputs),
            _ => throw new NotSupportedException($"Layer '{layer.Name}' ({layer.TypeName}) has no ONNX export; exportable layers: Conv2D, Conv2DTranspose, Dense, " +
                "BatchNormalization, MaxPooling2D, AveragePooling2D, GlobalAveragePooling2D, GlobalMaxPooling2D, Activation, LeakyReLU, Dropout, Flatten, Reshape, " +
                "ElementwiseConstant, ChannelSlice, ZeroPadding2D, Cropping2D, UpSampling2D, Add, Concatenate and models made of them."),
        };
    }

    /// <summary>Values of one weight of <paramref name="layer"/> by its Keras name ("kernel", "gamma", …).</summary>
    private static float[] WeightValues(Layer layer, string name) =>
        layer.Weights.First(w => w.Name == name).Value.ToArray();

    /// <summary>ONNX pads [top, left, bottom, right] of a Keras window: zeros for 'valid'; for 'same' the odd pixel goes last.</summary>
    private static long[] WindowPads(int[] input, (int H, int W) kernel, (int H, int W) strides, (int H, int W) dilation, Padding padding)
    {
        if (padding == Padding.Valid) return [0, 0, 0, 0];
        var (top, bottom) = SamePads(input[0], kernel.H, strides.H, dilation.H);
        var (left, right) = SamePads(input[1], kernel.W, strides.W, dilation.W);
        return [top, left, bottom, right];
    }

    private static (long Before, long After) SamePads(int n, int k, int s, int d)
    {
        var (outN, before) = Kernels.Conv2DGeometry.Axis(n, k, s, d, same: true);
        long total = Math.Max((long)(outN - 1) * s + (long)(k - 1) * d + 1 - n, 0);
        return (before, total - before);
    }

    private static ExportedValue Like(string name, int[] shape) => new(name, shape);
}
