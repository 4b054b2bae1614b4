using Trilobite.Layers;
using Trilobite.Onnx.Export;

namespace Trilobite.Onnx.Import;

internal static partial class NodeImport
{
    /// <summary>
    /// Conv → Conv2D with the kernel in Keras's (KH, KW, C, OC). Pads that equal Keras 'same' (the odd pixel last) become
    /// padding: 'same'; other pads (CNTK puts the odd pixel first) become a ZeroPadding2D before a 'valid' convolution.
    /// </summary>
    private static ImportedValue Conv(NodeContext c)
    {
        var x = c.Map(0);
        var w = c.Constant(1, "the kernel");
        var b = c.OptionalConstant(2);
        if (w.Dims.Length != 4) throw c.Error($"the kernel has shape {OnnxConstant.ShapeText(w.Dims)}; a 2-D convolution's is (OC, C, KH, KW).");
        int oc = (int)w.Dims[0], ic = (int)w.Dims[1], kh = (int)w.Dims[2], kw = (int)w.Dims[3];
        int channels = x.Tensor.Shape[2];
        if (c.Attributes.Int("group", 1) != 1)
            throw c.Error($"attribute 'group' is {c.Attributes.Int("group", 1)}; only group 1 is supported (Trilobite has no grouped or depthwise convolution).");
        if (ic != channels) throw c.Error($"the kernel takes {ic} channels, but the input has {channels}.");
        CheckKernelShape(c, kh, kw);
        var (strides, dilations) = (Pair(c, "strides"), Pair(c, "dilations"));
        var pads = Pads(c, x.Tensor.Shape, (kh, kw), strides, dilations);
        var (input, padding) = PaddedInput(c, x, pads, (kh, kw), strides, dilations);
        var conv = new Conv2D(oc, (kh, kw), strides, padding, useBias: b != null, dilationRate: dilations, name: c.LayerName());
        float[] kernel = WeightLayout.OihwToHwio(w.AsFloats(), oc, ic, kh, kw);
        return new RuntimeValue(c.Apply(conv, input, b == null ? [kernel] : [kernel, Vector(c, b, oc, "the bias")]), ValueLayout.Nchw);
    }

    /// <summary>
    /// ConvTranspose → Conv2DTranspose ('valid', with the output padding), then a Cropping2D for the pads: the full transposed
    /// convolution is (n − 1)·s + k_eff + output_padding rows, and ONNX's pads cut rows from each end of it.
    /// </summary>
    private static ImportedValue ConvTranspose(NodeContext c)
    {
        var x = c.Map(0);
        var w = c.Constant(1, "the kernel");
        var b = c.OptionalConstant(2);
        if (w.Dims.Length != 4) throw c.Error($"the kernel has shape {OnnxConstant.ShapeText(w.Dims)}; a 2-D transposed convolution's is (C, filters, KH, KW).");
        int ic = (int)w.Dims[0], filters = (int)w.Dims[1], kh = (int)w.Dims[2], kw = (int)w.Dims[3];
        if (c.Attributes.Int("group", 1) != 1) throw c.Error("attribute 'group' must be 1.");
        if (ic != x.Tensor.Shape[2]) throw c.Error($"the kernel takes {ic} channels, but the input has {x.Tensor.Shape[2]}.");
        CheckKernelShape(c, kh, kw);
        var (strides, dilations) = (Pair(c, "strides"), Pair(c, "dilations"));
        long[] extra = c.Attributes.Ints("output_padding") ?? [0, 0];
        if (extra.Length != 2 || extra.Any(p => p < 0)) throw c.Error($"output_padding {OnnxConstant.ShapeText(extra)} must be two values, none negative.");
        long[] pads = TransposedPads(c, x.Tensor.Shape, (kh, kw), strides, dilations, extra);
        var conv = new Conv2DTranspose(filters, (kh, kw), strides, Padding.Valid, ((int)extra[0], (int)extra[1]), useBias: b != null, dilationRate: dilations, name: c.LayerName());
        float[] kernel = WeightLayout.TransposedIohwToHwoi(w.AsFloats(), ic, filters, kh, kw);
        var y = c.Apply(conv, x.Tensor, b == null ? [kernel] : [kernel, Vector(c, b, filters, "the bias")]);
        if (pads.Any(p => p != 0)) y = c.Apply(new Cropping2D(((int)pads[0], (int)pads[2], (int)pads[1], (int)pads[3]), name: c.LayerName("_pads")), y);
        return new RuntimeValue(y, ValueLayout.Nchw);
    }

    /// <summary>
    /// ConvTranspose's pads [top, left, bottom, right]: given, or from 'output_shape' or auto_pad SAME_* (output = input ×
    /// stride) as ONNX defines them — the total cut split in half, the odd row at the start unless SAME_UPPER.
    /// </summary>
    private static long[] TransposedPads(NodeContext c, int[] hwc, (int H, int W) kernel, (int H, int W) strides, (int H, int W) dilations, long[] extra)
    {
        string auto = c.Attributes.String("auto_pad", "NOTSET");
        long[]? shape = c.Attributes.Ints("output_shape");
        if (auto is not ("NOTSET" or "VALID" or "SAME_UPPER" or "SAME_LOWER")) throw c.Error($"attribute 'auto_pad' '{GraphImport.Clip(auto)}' is not supported.");
        if (shape == null && auto is "NOTSET" or "VALID")
        {
            long[] pads = auto == "VALID" ? [0, 0, 0, 0] : c.Attributes.Ints("pads") ?? [0, 0, 0, 0];
            if (pads.Length != 4 || pads.Any(p => p < 0 || p > 1 << 16)) throw c.Error($"pads {OnnxConstant.ShapeText(pads)} must be four values from 0 to 65536.");
            return pads;
        }
        c.Attributes.Ignore("pads");   // ONNX: pads are ignored when output_shape or SAME decide them
        long[] output = shape is { Length: >= 2 } ? shape[^2..] : shape is null ? [(long)hwc[0] * strides.H, (long)hwc[1] * strides.W]
            : throw c.Error($"output_shape {OnnxConstant.ShapeText(shape)} needs the output height and width.");
        var result = new long[4];
        int[] n = [hwc[0], hwc[1]], k = [kernel.H, kernel.W], s = [strides.H, strides.W], d = [dilations.H, dilations.W];
        for (int i = 0; i < 2; i++)
        {
            long total = (long)s[i] * (n[i] - 1) + extra[i] + (long)(k[i] - 1) * d[i] + 1 - output[i];
            if (total < 0) throw c.Error($"output_shape {OnnxConstant.ShapeText(output)} is larger than the full transposed convolution.");
            bool upper = auto == "SAME_UPPER";
            result[i] = upper ? total / 2 : total - total / 2;
            result[i + 2] = total - result[i];
        }
        return result;
    }

    /// <summary>BatchNormalization in inference form; ε and momentum carried over (ONNX's defaults 1e-5 and 0.9).</summary>
    private static ImportedValue BatchNorm(NodeContext c)
    {
        var x = c.Runtime(0);
        if (x.Layout == ValueLayout.FlattenedChw || (x.Layout == ValueLayout.Keras && x.Rank != 2))
            throw c.Error("BatchNormalization normalises ONNX axis 1: the input must be an (N, C, H, W) map or (N, C).");
        if (c.Attributes.Int("spatial", 1) != 1) throw c.Error("attribute 'spatial' = 0 (per-activation statistics) is not supported.");
        if (c.Attributes.Int("training_mode", 0) != 0) throw c.Error("attribute 'training_mode' is on; an imported model normalises with its moving statistics.");
        c.Attributes.Ignore("is_test", "consumed_inputs");
        int channels = x.Tensor.Shape[^1];
        float[][] weights = [.. Enumerable.Range(1, 4).Select(i => Vector(c, c.Constant(i, "a statistic"), channels, $"input {i}"))];
        var bn = new BatchNormalization(c.Attributes.Float("momentum", 0.9f), c.Attributes.Float("epsilon", 1e-5f), name: c.LayerName());
        return new RuntimeValue(c.Apply(bn, x.Tensor, weights), x.Layout);
    }

    /// <summary>Gemm(A, B, C) → Dense with W = alpha·op(B) and bias = beta·C; rows permuted when A was flattened in (c, h, w) order.</summary>
    private static ImportedValue Gemm(NodeContext c)
    {
        var a = c.Runtime(0);
        if (c.Attributes.Int("transA", 0) != 0) throw c.Error("attribute 'transA' = 1 is not supported (the batch must be A's first axis).");
        var b = c.Constant(1, "B");
        bool transB = c.Attributes.Int("transB", 0) != 0;
        float alpha = c.Attributes.Float("alpha", 1f), beta = c.Attributes.Float("beta", 1f);
        if (b.Dims.Length != 2) throw c.Error($"B has shape {OnnxConstant.ShapeText(b.Dims)}; a matrix is needed.");
        int inputs = (int)(transB ? b.Dims[1] : b.Dims[0]), units = (int)(transB ? b.Dims[0] : b.Dims[1]);
        float[] kernel = b.AsFloats();
        if (transB) kernel = Transpose(kernel, units, inputs);
        if (alpha != 1f) kernel = [.. kernel.Select(v => alpha * v)];
        float[]? bias = c.OptionalConstant(2) is { } bc ? [.. Vector(c, bc, units, "C").Select(v => beta * v)] : null;
        return DenseOf(c, a, kernel, inputs, units, bias);
    }

    /// <summary>MatMul(A, W) → Dense without bias; an Add of a constant vector right after it becomes the bias (see <see cref="Arithmetic"/>).</summary>
    private static ImportedValue MatMul(NodeContext c)
    {
        var a = c.Runtime(0);
        var w = c.Constant(1, "the weight matrix");
        if (w.Dims.Length != 2 || a.Rank != 2) throw c.Error($"only (N, in) × (in, out) products are supported; got rank {a.Rank} × {OnnxConstant.ShapeText(w.Dims)}.");
        return DenseOf(c, a, w.AsFloats(), (int)w.Dims[0], (int)w.Dims[1], FusedBias(c, (int)w.Dims[1]));
    }

    private static ImportedValue DenseOf(NodeContext c, RuntimeValue a, float[] kernel, int inputs, int units, float[]? bias)
    {
        if (a.Rank != 2) throw c.Error($"input A has rank {a.Rank}; (N, features) is needed.");
        if (a.Tensor.Shape[0] != inputs) throw c.Error($"the weights take {inputs} features, but the input has {a.Tensor.Shape[0]}.");
        if (a.Layout == ValueLayout.FlattenedChw) kernel = ChwRowsToHwc(kernel, a.MapShape!, units);
        var dense = new Dense(units, useBias: bias != null, name: c.LayerName());
        return new RuntimeValue(c.Apply(dense, a.Tensor, bias == null ? [kernel] : [kernel, bias]), ValueLayout.Keras);
    }

    /// <summary>Weight rows ordered (c, h, w) reordered to Keras's (h, w, c).</summary>
    private static float[] ChwRowsToHwc(float[] kernel, int[] map, int units)
    {
        int h = map[0], w = map[1], ch = map[2];
        var result = new float[kernel.Length];
        for (int k = 0; k < ch; k++)
            for (int y = 0; y < h; y++)
                for (int x = 0; x < w; x++)
                    Array.Copy(kernel, ((k * h + y) * w + x) * units, result, ((y * w + x) * ch + k) * units, units);
        return result;
    }

    private static float[] Transpose(float[] m, int rows, int columns)
    {
        var t = new float[m.Length];
        for (int r = 0; r < rows; r++)
            for (int col = 0; col < columns; col++) t[col * rows + r] = m[r * columns + col];
        return t;
    }

    /// <summary>A per-channel constant as <paramref name="length"/> floats: shape (L), (1, L), or (L, 1, 1); a scalar is repeated.</summary>
    private static float[] Vector(NodeContext c, OnnxConstant value, int length, string what)
    {
        float[] v = value.AsFloats();
        if (v.Length == 1 && length != 1) return [.. Enumerable.Repeat(v[0], length)];
        if (v.Length != length || value.Dims.Count(d => d != 1) > 1)
            throw c.Error($"{what} has shape {OnnxConstant.ShapeText(value.Dims)}; {length} values (one per channel) are needed.");
        return v;
    }

    private static void CheckKernelShape(NodeContext c, int kh, int kw)
    {
        if (c.Attributes.Ints("kernel_shape") is { } k && !(k.Length == 2 && k[0] == kh && k[1] == kw))
            throw c.Error($"attribute 'kernel_shape' {OnnxConstant.ShapeText(k)} disagrees with the kernel's {kh}×{kw}.");
    }

    /// <summary>A two-value attribute (strides, dilations), 1 by default; only 2-D windows are supported.</summary>
    private static (int H, int W) Pair(NodeContext c, string name)
    {
        long[] v = c.Attributes.Ints(name) ?? [1, 1];
        if (v.Length != 2 || v.Any(x => x < 1 || x > 1 << 16)) throw c.Error($"attribute '{name}' is {OnnxConstant.ShapeText(v)}; two values from 1 to 65536 are needed.");
        return ((int)v[0], (int)v[1]);
    }
}
