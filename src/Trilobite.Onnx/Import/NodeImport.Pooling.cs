using Trilobite.Layers;

namespace Trilobite.Onnx.Import;

internal static partial class NodeImport
{
    /// <summary>
    /// MaxPool/AveragePool → the Keras pooling layers. 'valid' and Keras-'same' pads map directly (ONNX ignores max pooling's
    /// padding, and Keras's 'same' average excludes it, as count_include_pad = 0). Other pads: an average that counts
    /// the padding is exactly ZeroPadding2D + 'valid'; a max over a ReLU's output (never negative) is too.
    /// </summary>
    private static ImportedValue Pool(NodeContext c)
    {
        var x = c.Map(0);
        bool max = c.Node.OpType == "MaxPool";
        long[] kernel = c.Attributes.Ints("kernel_shape") ?? throw c.Error("attribute 'kernel_shape' is required.");
        if (kernel.Length != 2 || kernel.Any(k => k < 1 || k > 1 << 16)) throw c.Error($"attribute 'kernel_shape' is {OnnxConstant.ShapeText(kernel)}; a 2-D window is needed.");
        var window = ((int)kernel[0], (int)kernel[1]);
        var strides = Pair(c, "strides");
        if (Pair(c, "dilations") != (1, 1)) throw c.Error("attribute 'dilations' other than 1 is not supported for pooling.");
        if (c.Attributes.Int("ceil_mode", 0) != 0) throw c.Error("attribute 'ceil_mode' = 1 is not supported.");
        if (c.Attributes.Int("storage_order", 0) != 0) throw c.Error("attribute 'storage_order' = 1 is not supported.");
        bool countPadding = !max && c.Attributes.Int("count_include_pad", 0) != 0;
        var pads = Pads(c, x.Tensor.Shape, window, strides, (1, 1));
        bool zeroIsExact = countPadding || (max && x.NonNegative);
        var (input, padding) = PaddedInput(c, x, pads, window, strides, (1, 1), zeroIsExact, sameIsExact: !countPadding);
        Layer layer = max ? new MaxPooling2D(window, strides, padding, name: c.LayerName()) : new AveragePooling2D(window, strides, padding, name: c.LayerName());
        return new RuntimeValue(c.Apply(layer, input), ValueLayout.Nchw, NonNegative: x.NonNegative);
    }

    /// <summary>GlobalAveragePool/GlobalMaxPool keep (N, C, 1, 1): the Keras layers with keepDims.</summary>
    private static ImportedValue GlobalPool(NodeContext c)
    {
        var x = c.Map(0);
        Layer layer = c.Node.OpType == "GlobalMaxPool" ? new GlobalMaxPooling2D(name: c.LayerName(), keepDims: true) : new GlobalAveragePooling2D(name: c.LayerName(), keepDims: true);
        return new RuntimeValue(c.Apply(layer, x.Tensor), ValueLayout.Nchw, NonNegative: x.NonNegative);
    }

    /// <summary>[top, left, bottom, right] from 'pads' or 'auto_pad' (SAME_UPPER puts the odd pixel last, as Keras; SAME_LOWER first).</summary>
    private static long[] Pads(NodeContext c, int[] hwc, (int H, int W) kernel, (int H, int W) strides, (int H, int W) dilations)
    {
        string auto = c.Attributes.String("auto_pad", "NOTSET");
        long[]? pads = c.Attributes.Ints("pads");
        switch (auto)
        {
            case "NOTSET":
                pads ??= [0, 0, 0, 0];
                if (pads.Length != 4 || pads.Any(p => p < 0 || p > 1 << 16)) throw c.Error($"attribute 'pads' is {OnnxConstant.ShapeText(pads)}; four values from 0 to 65536 are needed.");
                return pads;
            case "VALID":
                return [0, 0, 0, 0];
            case "SAME_UPPER" or "SAME_LOWER":
                var (top, bottom) = SameSplit(hwc[0], kernel.H, strides.H, dilations.H, auto == "SAME_LOWER");
                var (left, right) = SameSplit(hwc[1], kernel.W, strides.W, dilations.W, auto == "SAME_LOWER");
                return [top, left, bottom, right];
            default:
                throw c.Error($"attribute 'auto_pad' '{GraphImport.Clip(auto)}' is not one of NOTSET, VALID, SAME_UPPER, SAME_LOWER.");
        }
    }

    private static (long Before, long After) SameSplit(int n, int k, int s, int d, bool oddFirst)
    {
        long outN = ((long)n + s - 1) / s, total = Math.Max((outN - 1) * s + (long)(k - 1) * d + 1 - n, 0);
        long small = total / 2;
        return oddFirst ? (total - small, small) : (small, total - small);
    }

    /// <summary>
    /// The input and padding mode for a window with these pads: 'valid' for none, 'same' where Keras would pad the same way
    /// (and <paramref name="sameIsExact"/>), else a ZeroPadding2D before a 'valid' window — only where zeros are what ONNX
    /// pads with (<paramref name="zeroIsExact"/>).
    /// </summary>
    private static (SymbolicTensor Input, Padding Padding) PaddedInput(NodeContext c, RuntimeValue x, long[] pads, (int H, int W) kernel,
        (int H, int W) strides, (int H, int W) dilations, bool zeroIsExact, bool sameIsExact = true)
    {
        if (pads.All(p => p == 0)) return (x.Tensor, Padding.Valid);
        var (top, bottom) = SameSplit(x.Tensor.Shape[0], kernel.H, strides.H, dilations.H, oddFirst: false);
        var (left, right) = SameSplit(x.Tensor.Shape[1], kernel.W, strides.W, dilations.W, oddFirst: false);
        if (sameIsExact && pads.SequenceEqual([top, left, bottom, right])) return (x.Tensor, Padding.Same);
        if (!zeroIsExact)
            throw c.Error($"pads {OnnxConstant.ShapeText(pads)} differ from Keras's 'same' ({top}, {left}, {bottom}, {right}), and zero padding would change the result here " +
                "(max pooling over values that may be negative, or an average that excludes the padding).");
        var padded = c.Apply(new ZeroPadding2D(((int)pads[0], (int)pads[2], (int)pads[1], (int)pads[3]), name: c.LayerName("_pads")), x.Tensor);
        return (padded, Padding.Valid);
    }
}
