using Trilobite.Layers;

namespace Trilobite.Onnx.Import;

internal static partial class NodeImport
{
    /// <summary>
    /// MaxPool/AveragePool → the Keras pooling layers. 'valid' and Keras-'same' pads map directly (ONNX ignores max pooling's
    /// padding, and Keras's 'same' average excludes it, as count_include_pad = 0); other pads become the layers' explicit
    /// padding, which no window counts either. An average that counts the padding is ZeroPadding2D + 'valid'.
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
        if (countPadding)
        {
            var (padded, _) = PaddedInput(c, x, pads, window, strides, (1, 1), sameIsExact: false);
            return new RuntimeValue(c.Apply(new AveragePooling2D(window, strides, name: c.LayerName()), padded), ValueLayout.Nchw);
        }
        var keras = KerasPadding(x, pads, window, strides, (1, 1));
        (int, int, int, int)? explicitPads = keras == null ? ((int)pads[0], (int)pads[2], (int)pads[1], (int)pads[3]) : null;
        if (explicitPads != null && (Math.Max(pads[0], pads[2]) >= window.Item1 || Math.Max(pads[1], pads[3]) >= window.Item2))
            throw c.Error($"pads {OnnxConstant.ShapeText(pads)} reach a whole window ({window.Item1}×{window.Item2}) past the input.");
        var padding = keras ?? Padding.Valid;
        Layer layer = max ? new MaxPooling2D(window, strides, padding, name: c.LayerName(), explicitPadding: explicitPads)
            : new AveragePooling2D(window, strides, padding, name: c.LayerName(), explicitPadding: explicitPads);
        return new RuntimeValue(c.Apply(layer, x.Tensor), ValueLayout.Nchw);
    }

    /// <summary>GlobalAveragePool/GlobalMaxPool keep (N, C, 1, 1): the Keras layers with keepDims.</summary>
    private static ImportedValue GlobalPool(NodeContext c)
    {
        var x = c.Map(0);
        Layer layer = c.Node.OpType == "GlobalMaxPool" ? new GlobalMaxPooling2D(name: c.LayerName(), keepDims: true) : new GlobalAveragePooling2D(name: c.LayerName(), keepDims: true);
        return new RuntimeValue(c.Apply(layer, x.Tensor), ValueLayout.Nchw);
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

    /// <summary>'valid' for no pads, 'same' for the pads Keras's 'same' would use, else null.</summary>
    private static Padding? KerasPadding(RuntimeValue x, long[] pads, (int H, int W) kernel, (int H, int W) strides, (int H, int W) dilations)
    {
        if (pads.All(p => p == 0)) return Padding.Valid;
        var (top, bottom) = SameSplit(x.Tensor.Shape[0], kernel.H, strides.H, dilations.H, oddFirst: false);
        var (left, right) = SameSplit(x.Tensor.Shape[1], kernel.W, strides.W, dilations.W, oddFirst: false);
        return pads.SequenceEqual([top, left, bottom, right]) ? Padding.Same : null;
    }

    /// <summary>
    /// The input and padding mode for a window whose padding holds zeros (a convolution; an average that counts it): 'valid'
    /// or 'same' where Keras pads alike (and <paramref name="sameIsExact"/>), else a ZeroPadding2D before a 'valid' window.
    /// </summary>
    private static (SymbolicTensor Input, Padding Padding) PaddedInput(NodeContext c, RuntimeValue x, long[] pads, (int H, int W) kernel,
        (int H, int W) strides, (int H, int W) dilations, bool sameIsExact = true)
    {
        var keras = KerasPadding(x, pads, kernel, strides, dilations);
        if (keras == Padding.Valid || (keras == Padding.Same && sameIsExact)) return (x.Tensor, keras.Value);
        var padded = c.Apply(new ZeroPadding2D(((int)pads[0], (int)pads[2], (int)pads[1], (int)pads[3]), name: c.LayerName("_pads")), x.Tensor);
        return (padded, Padding.Valid);
    }
}
