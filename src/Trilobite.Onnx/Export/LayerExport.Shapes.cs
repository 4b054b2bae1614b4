using Trilobite.Layers;
using static Trilobite.Onnx.Export.OnnxGraphWriter;

namespace Trilobite.Onnx.Export;

internal static partial class LayerExport
{
    private static readonly long[] ToNhwc = [0, 2, 3, 1];
    private static readonly long[] ToNchw = [0, 3, 1, 2];

    /// <summary>A map goes back to NHWC before flattening, so the features keep Keras's (h, w, c) order.</summary>
    private static ExportedValue FlattenLayer(OnnxGraphWriter g, Flatten flatten, ExportedValue x)
    {
        string input = x.IsNchw ? g.Node("Transpose", flatten.Name, [x.Name], Ints("perm", ToNhwc)) : x.Name;
        return Like(g.Node("Flatten", flatten.Name, [input], Int("axis", 1)), flatten.OutputShape);
    }

    /// <summary>Reshape in Keras's order (the batch axis copied by a 0): maps leave and re-enter NCHW around it.</summary>
    private static ExportedValue ReshapeLayer(OnnxGraphWriter g, Reshape reshape, ExportedValue x)
    {
        string input = x.IsNchw ? g.Node("Transpose", reshape.Name, [x.Name], Ints("perm", ToNhwc)) : x.Name;
        string shape = g.Int64s($"{reshape.Name}/shape", [0, .. reshape.OutputShape.Select(d => (long)d)]);
        string y = g.Node("Reshape", reshape.Name, [input, shape]);
        if (reshape.OutputShape.Length == 3) y = g.Node("Transpose", reshape.Name, [y], Ints("perm", ToNchw));
        return Like(y, reshape.OutputShape);
    }

    private static ExportedValue ZeroPad(OnnxGraphWriter g, ZeroPadding2D pad, ExportedValue x)
    {
        var (top, bottom, left, right) = pad.Pad;
        string pads = g.Int64s($"{pad.Name}/pads", 0, 0, top, left, 0, 0, bottom, right);
        return Like(g.Node("Pad", pad.Name, [x.Name, pads], String("mode", "constant")), pad.OutputShape);
    }

    private static ExportedValue Crop(OnnxGraphWriter g, Cropping2D crop, ExportedValue x)
    {
        var (top, bottom, left, right) = crop.Crop;
        string starts = g.Int64s($"{crop.Name}/starts", top, left);
        string ends = g.Int64s($"{crop.Name}/ends", x.Shape[0] - bottom, x.Shape[1] - right);
        string axes = g.Int64s($"{crop.Name}/axes", 2, 3);
        return Like(g.Node("Slice", crop.Name, [x.Name, starts, ends, axes]), crop.OutputShape);
    }

    /// <summary>
    /// Resize. Whole factors: scales, nearest with 'asymmetric' + 'floor' (output i reads input ⌊i / s⌋), bilinear with
    /// half-pixel centres (TensorFlow's and PyTorch's align_corners=False). A target size: sizes built from the input's
    /// batch and channels, so the batch stays dynamic.
    /// </summary>
    private static ExportedValue UpSample(OnnxGraphWriter g, UpSampling2D up, ExportedValue x)
    {
        bool nearest = up.Interpolation == "nearest";
        var mode = nearest
            ? new[] { String("mode", "nearest"), String("coordinate_transformation_mode", "asymmetric"), String("nearest_mode", "floor") }
            : [String("mode", "linear"), String("coordinate_transformation_mode", "half_pixel")];
        string y;
        if (up.TargetSize is var (h, w))
        {
            string shape = g.Node("Shape", up.Name, [x.Name]);
            string batchAndChannels = g.Node("Slice", up.Name, [shape, g.Int64s($"{up.Name}/zero", 0), g.Int64s($"{up.Name}/two", 2)]);
            string sizes = g.Node("Concat", up.Name, [batchAndChannels, g.Int64s($"{up.Name}/size", h, w)], Int("axis", 0));
            y = g.Node("Resize", up.Name, [x.Name, "", "", sizes], mode);
        }
        else
        {
            string scales = g.Floats($"{up.Name}/scales", [4], [1f, 1f, up.Size.Rows, up.Size.Columns]);
            y = g.Node("Resize", up.Name, [x.Name, "", scales], mode);
        }
        return Like(y, up.OutputShape);
    }

    private static ExportedValue AddLayer(OnnxGraphWriter g, Add add, ExportedValue[] inputs)
    {
        string sum = inputs[0].Name;
        foreach (var term in inputs.Skip(1)) sum = g.Node("Add", add.Name, [sum, term.Name]);
        return Like(sum, add.OutputShape);
    }

    /// <summary>Keras concatenates along the last axis: channels (ONNX axis 1) for maps.</summary>
    private static ExportedValue ConcatenateLayer(OnnxGraphWriter g, Concatenate concat, ExportedValue[] inputs) =>
        Like(g.Node("Concat", concat.Name, [.. inputs.Select(i => i.Name)], Int("axis", inputs[0].ChannelAxis)), concat.OutputShape);

    /// <summary>An ElementwiseConstant as Add/Sub/Mul/Div with its constant moved to the graph's axis order (NCHW for maps).</summary>
    private static ExportedValue Constant(OnnxGraphWriter g, ElementwiseConstant e, ExportedValue x)
    {
        float[] values = e.Weights[0].Value.ToArray();
        int[] shape = e.ConstantShape;
        long[] dims = [.. shape.Select(d => (long)d)];
        if (x.IsNchw && shape.Length > 0)
        {
            // Keras (…, H, W, C) right-aligned against (H, W, C): pad to three axes, then store (C, H, W).
            int[] hwc = [.. Enumerable.Repeat(1, 3 - shape.Length), .. shape];
            int h = hwc[0], w = hwc[1], ch = hwc[2];
            var chw = new float[values.Length];
            for (int y = 0; y < h; y++)
                for (int i = 0; i < w; i++)
                    for (int k = 0; k < ch; k++) chw[(k * h + y) * w + i] = values[(y * w + i) * ch + k];
            (values, dims) = (chw, [ch, h, w]);
        }
        string constant = g.Floats($"{e.Name}/constant", dims, values);
        string op = e.Operator switch
        {
            Autograd.Ops.BinaryOperator.Add => "Add",
            Autograd.Ops.BinaryOperator.Subtract => "Sub",
            Autograd.Ops.BinaryOperator.Multiply => "Mul",
            _ => "Div",
        };
        return Like(g.Node(op, e.Name, e.ConstantFirst ? [constant, x.Name] : [x.Name, constant]), e.OutputShape);
    }

    /// <summary>A ChannelSlice as Slice along Keras's last axis (ONNX axis 1 for maps).</summary>
    private static ExportedValue Slice(OnnxGraphWriter g, ChannelSlice s, ExportedValue x) =>
        Like(g.Node("Slice", s.Name, [x.Name, g.Int64s($"{s.Name}/starts", s.Start), g.Int64s($"{s.Name}/ends", s.Start + s.Count), g.Int64s($"{s.Name}/axes", x.ChannelAxis)]), s.OutputShape);
}
