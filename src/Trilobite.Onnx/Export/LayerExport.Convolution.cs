using Trilobite.Layers;
using static Trilobite.Onnx.Export.OnnxGraphWriter;

namespace Trilobite.Onnx.Export;

internal static partial class LayerExport
{
    /// <summary>Conv with the kernel permuted to OIHW and Keras 'same' as explicit (possibly asymmetric) pads, then the activation.</summary>
    private static ExportedValue Conv(OnnxGraphWriter g, Conv2D conv, ExportedValue x)
    {
        var (kh, kw) = conv.KernelSize;
        int c = x.Shape[2], oc = conv.Filters;
        string w = g.Floats($"{conv.Name}/kernel", [oc, c, kh, kw], WeightLayout.HwioToOihw(WeightValues(conv, "kernel"), kh, kw, c, oc));
        string[] inputs = conv.UseBias ? [x.Name, w, g.Floats($"{conv.Name}/bias", [oc], WeightValues(conv, "bias"))] : [x.Name, w];
        string y = g.Node("Conv", conv.Name, inputs,
            Ints("kernel_shape", kh, kw), Ints("strides", conv.Strides.H, conv.Strides.W), Ints("dilations", conv.DilationRate.H, conv.DilationRate.W),
            Ints("pads", WindowPads(x.Shape, conv.KernelSize, conv.Strides, conv.DilationRate, conv.Padding)), Int("group", 1));
        return Activate(g, conv.Name, conv.Activation, Like(y, conv.OutputShape));
    }

    /// <summary>
    /// ConvTranspose: Trilobite's transposed convolution is the full one, (n − 1)·s + k, cut by (before, after) rows to
    /// Keras's size; ONNX writes the cut as pads and a negative cut (rows the kernel never reaches) as output_padding.
    /// </summary>
    private static ExportedValue ConvTranspose(OnnxGraphWriter g, Conv2DTranspose conv, ExportedValue x)
    {
        var (kh, kw) = conv.KernelSize;
        int c = x.Shape[2], filters = conv.Filters;
        bool same = conv.Padding == Padding.Same;
        var (_, top, bottom) = Conv2DTranspose.Axis(x.Shape[0], kh, conv.Strides.H, conv.DilationRate.H, same, conv.OutputPadding?.H);
        var (_, left, right) = Conv2DTranspose.Axis(x.Shape[1], kw, conv.Strides.W, conv.DilationRate.W, same, conv.OutputPadding?.W);
        string w = g.Floats($"{conv.Name}/kernel", [c, filters, kh, kw], WeightLayout.TransposedHwoiToIohw(WeightValues(conv, "kernel"), kh, kw, filters, c));
        string[] inputs = conv.UseBias ? [x.Name, w, g.Floats($"{conv.Name}/bias", [filters], WeightValues(conv, "bias"))] : [x.Name, w];
        string y = g.Node("ConvTranspose", conv.Name, inputs,
            Ints("kernel_shape", kh, kw), Ints("strides", conv.Strides.H, conv.Strides.W), Ints("dilations", conv.DilationRate.H, conv.DilationRate.W),
            Ints("pads", top, left, Math.Max(bottom, 0), Math.Max(right, 0)), Ints("output_padding", Math.Max(-bottom, 0), Math.Max(-right, 0)), Int("group", 1));
        return Activate(g, conv.Name, conv.Activation, Like(y, conv.OutputShape));
    }

    /// <summary>Gemm(x, W, b) with W as Keras stores it (in, units), then the activation.</summary>
    private static ExportedValue DenseLayer(OnnxGraphWriter g, Dense dense, ExportedValue x)
    {
        int units = dense.Units, inputs = x.Shape[0];
        string w = g.Floats($"{dense.Name}/kernel", [inputs, units], WeightValues(dense, "kernel"));
        string[] args = dense.UseBias ? [x.Name, w, g.Floats($"{dense.Name}/bias", [units], WeightValues(dense, "bias"))] : [x.Name, w];
        string y = g.Node("Gemm", dense.Name, args, Float("alpha", 1f), Float("beta", 1f));
        return Activate(g, dense.Name, dense.Activation, Like(y, [units]));
    }

    /// <summary>BatchNormalization in inference form with Keras's ε written out (ONNX's default is 1e-5, Keras's 1e-3).</summary>
    private static ExportedValue BatchNorm(OnnxGraphWriter g, BatchNormalization bn, ExportedValue x)
    {
        if (x.Shape.Length is not (1 or 3))
            throw new NotSupportedException($"Layer '{bn.Name}' (BatchNormalization) normalises the last axis of a rank-{x.Shape.Length + 1} tensor; ONNX's normalises axis 1, so only (N, C) and (N, H, W, C) inputs export.");
        int c = x.Shape[^1];
        string[] args = [x.Name, .. new[] { "gamma", "beta", "moving_mean", "moving_variance" }.Select(n => g.Floats($"{bn.Name}/{n}", [c], WeightValues(bn, n)))];
        string y = g.Node("BatchNormalization", bn.Name, args, Float("epsilon", (float)bn.Epsilon), Float("momentum", (float)bn.Momentum));
        return Like(y, x.Shape);
    }

    /// <summary>MaxPool or AveragePool with explicit pads (Keras's modes or the layer's own); the average counts only the values inside the input, as Keras.</summary>
    private static ExportedValue Pool(OnnxGraphWriter g, string op, Pooling2D pool, ExportedValue x)
    {
        var attributes = new List<global::Onnx.AttributeProto>
        {
            Ints("kernel_shape", pool.PoolSize.H, pool.PoolSize.W), Ints("strides", pool.Strides.H, pool.Strides.W),
            Ints("pads", pool.ExplicitPadding is var (t, b, l, r) ? [t, l, b, r] : WindowPads(x.Shape, pool.PoolSize, pool.Strides, (1, 1), pool.Padding)),
        };
        if (op == "AveragePool") attributes.Add(Int("count_include_pad", 0));
        return Like(g.Node(op, pool.Name, [x.Name], [.. attributes]), pool.OutputShape);
    }

    /// <summary>GlobalAveragePool/GlobalMaxPool give (N, C, 1, 1): flattened to (N, C) unless the layer keeps the dimensions.</summary>
    private static ExportedValue GlobalPool(OnnxGraphWriter g, string op, GlobalPooling2D pool, ExportedValue x)
    {
        string y = g.Node(op, pool.Name, [x.Name]);
        return pool.KeepDims ? Like(y, pool.OutputShape) : Like(g.Node("Flatten", pool.Name, [y], Int("axis", 1)), pool.OutputShape);
    }
}
