using Onnx;
using Trilobite.Layers;

namespace Trilobite.Onnx.Import;

internal static partial class NodeImport
{
    /// <summary>The ONNX dims of a runtime value; the batch axis is −1 (dynamic).</summary>
    private static long[] OnnxDims(RuntimeValue x)
    {
        int[] s = x.Tensor.Shape;
        return x.Layout == ValueLayout.Nchw ? [-1, s[2], s[0], s[1]] : [-1, .. s.Select(d => (long)d)];
    }

    /// <summary>
    /// Flatten (axis 1). A map flattens in (c, h, w) order; Trilobite's Flatten keeps (h, w, c), which is the same order
    /// when H·W = 1 or C = 1. Otherwise the value is tagged, and the Gemm or MatMul that reads it permutes its weight rows.
    /// </summary>
    private static ImportedValue FlattenNode(NodeContext c)
    {
        var x = c.Runtime(0);
        long axis = c.Attributes.Int("axis", 1);
        if (axis != 1 && !(axis == -1 && x.Rank == 2)) throw c.Error($"attribute 'axis' is {axis}; only axis 1 (keep the batch) is supported.");
        return x.Rank == 2 ? x : Flattened(c, x);
    }

    /// <summary>A Flatten layer on <paramref name="x"/>, its value tagged with the order ONNX flattened it in (Flatten, and Reshape to (N, −1)).</summary>
    private static RuntimeValue Flattened(NodeContext c, RuntimeValue x)
    {
        var y = c.Apply(new Flatten(name: c.LayerName()), x.Tensor);
        int[] s = x.Tensor.Shape;
        bool sameOrder = x.Layout != ValueLayout.Nchw || s[0] * s[1] == 1 || s[2] == 1;
        return sameOrder ? new RuntimeValue(y, ValueLayout.Keras) : new RuntimeValue(y, ValueLayout.FlattenedChw, s);
    }

    /// <summary>Reshape with a constant shape (0 copies an axis, −1 is inferred; the batch stays first): a flatten of a map, or a Reshape of a flat value.</summary>
    private static ImportedValue ReshapeNode(NodeContext c)
    {
        var x = c.Runtime(0);
        if (c.Attributes.Int("allowzero", 0) != 0) throw c.Error("attribute 'allowzero' = 1 is not supported.");
        long[] target = c.Opset >= 5 ? c.Constant(1, "the shape").AsLongs($"{c.Where}: the shape") : c.Attributes.Ints("shape") ?? throw c.Error("attribute 'shape' is required.");
        long[] dims = OnnxDims(x);
        long perSample = dims.Skip(1).Aggregate(1L, (a, b) => a * b);
        var rest = new long[Math.Max(target.Length - 1, 0)];
        for (int i = 1; i < target.Length; i++) rest[i - 1] = target[i] == 0 ? (i < dims.Length ? dims[i] : throw c.Error($"shape entry {i} copies an axis the input does not have.")) : target[i];
        if (target.Length == 0 || target[0] is not (0 or -1 or 1)) throw c.Error($"the shape {OnnxConstant.ShapeText(target)} does not keep the batch axis first.");
        if (rest.Count(d => d == -1) + (target[0] == -1 ? 1 : 0) > 1 || rest.Any(d => d < -1)) throw c.Error($"the shape {OnnxConstant.ShapeText(target)} is not a valid reshape target.");
        int infer = Array.IndexOf(rest, -1L);
        if (infer >= 0)
        {
            long known = rest.Where(d => d != -1).Aggregate(1L, (a, b) => a * b);
            if (known == 0 || perSample % known != 0) throw c.Error($"the shape {OnnxConstant.ShapeText(target)} does not divide the input's {perSample} values per sample.");
            rest[infer] = perSample / known;
        }
        if (rest.Aggregate(1L, (a, b) => a * b) != perSample) throw c.Error($"the shape {OnnxConstant.ShapeText(target)} does not hold the input's {perSample} values per sample.");
        if (rest.Length == x.Rank - 1 && rest.SequenceEqual(dims.Skip(1))) return x;
        if (x.Layout == ValueLayout.Nchw)
        {
            if (rest.Length != 1) throw c.Error($"reshaping an (N, C, H, W) map to {OnnxConstant.ShapeText(target)} is not supported (only flattening it is).");
            return Flattened(c, x);
        }
        if (x.Layout == ValueLayout.FlattenedChw) throw c.Error("reshaping a map flattened in (c, h, w) order is not supported.");
        var y = c.Apply(new Reshape([.. rest.Select(d => (int)d)], name: c.LayerName()), x.Tensor);
        return new RuntimeValue(y, ValueLayout.Keras);
    }

    /// <summary>Transpose only changes how ONNX's axes relate to the Keras tensor: NHWC ↔ NCHW for 4-D values; the identity otherwise.</summary>
    private static ImportedValue TransposeNode(NodeContext c)
    {
        var x = c.Runtime(0);
        long[] perm = c.Attributes.Ints("perm") ?? [.. Enumerable.Range(0, x.Rank).Reverse().Select(i => (long)i)];
        if (perm.SequenceEqual(Enumerable.Range(0, x.Rank).Select(i => (long)i))) return x;
        if (x.Rank == 4 && x.Layout == ValueLayout.Keras && perm.SequenceEqual([0L, 3, 1, 2])) return x with { Layout = ValueLayout.Nchw };
        if (x.Rank == 4 && x.Layout == ValueLayout.Nchw && perm.SequenceEqual([0L, 2, 3, 1])) return x with { Layout = ValueLayout.Keras };
        throw c.Error($"permutation {OnnxConstant.ShapeText(perm)} of a rank-{x.Rank} tensor is not supported (NHWC ↔ NCHW of a 4-D tensor is).");
    }

    /// <summary>Concat along the channels of maps (ONNX axis 1), or the last axis of flat values; constants (shape vectors) fold.</summary>
    private static ImportedValue ConcatNode(NodeContext c)
    {
        long axis = c.Attributes.Int("axis", 1);
        if (c.Args.All(a => a is ConstantImport)) return new ConstantImport(ConcatConstants(c, [.. c.Args.Select(a => ((ConstantImport)a!).Value)]));
        var parts = Enumerable.Range(0, c.Args.Length).Select(c.Runtime).ToArray();
        var layout = parts[0].Layout;
        int rank = parts[0].Rank;
        if (axis < 0) axis += rank;
        bool channels = layout == ValueLayout.Nchw ? axis == 1 : layout == ValueLayout.Keras && axis == rank - 1;
        if (!channels || parts.Any(p => p.Layout != layout)) throw c.Error($"only concatenation along the channels (ONNX axis 1 of maps, the last axis otherwise) is supported; got axis {axis}.");
        var y = c.Import.Apply(new Concatenate(name: c.LayerName()), [.. parts.Select(p => p.Tensor)]);
        return new RuntimeValue(y, layout);
    }

    private static OnnxConstant ConcatConstants(NodeContext c, OnnxConstant[] parts)
    {
        if (parts.Any(p => p.Dims.Length != 1)) throw c.Error("only 1-D constants (shape vectors) are concatenated at import.");
        if (parts.All(p => p.Longs != null)) return OnnxConstant.OfLongs([.. parts.SelectMany(p => p.Longs!)]);
        float[] values = [.. parts.SelectMany(p => p.AsFloats())];
        return new([values.Length], values, null);
    }

    /// <summary>Split of a map's channels → one ChannelSlice per output (sizes from 'split', the second input, or equal parts).</summary>
    private static ImportedValue[] SplitNode(NodeContext c)
    {
        var x = c.Map(0);
        if (c.Attributes.Int("axis", 0) is not (1 or -3)) throw c.Error("only a split of the channels (axis 1) is supported.");
        c.Attributes.Ignore("num_outputs");
        int channels = x.Tensor.Shape[2], outputs = c.Node.Output.Count;
        long[] sizes = (c.Opset >= 13 ? c.OptionalConstant(1)?.AsLongs($"{c.Where}: split") : c.Attributes.Ints("split"))
            ?? [.. Enumerable.Range(0, outputs).Select(i => (long)(channels * (i + 1) / outputs - channels * i / outputs))];
        if (sizes.Length != outputs || sizes.Any(s => s < 1) || sizes.Sum() != channels)
            throw c.Error($"split sizes {OnnxConstant.ShapeText(sizes)} do not divide the {channels} channels into {outputs} outputs.");
        var result = new ImportedValue[outputs];
        int start = 0;
        for (int i = 0; i < outputs; i++)
        {
            var slice = new ChannelSlice(start, (int)sizes[i], name: c.LayerName($"_{i}"));
            result[i] = new RuntimeValue(c.Apply(slice, x.Tensor), ValueLayout.Nchw);
            start += (int)sizes[i];
        }
        return result;
    }

    /// <summary>Constant zero padding of a map's height and width → ZeroPadding2D.</summary>
    private static ImportedValue PadNode(NodeContext c)
    {
        var x = c.Map(0);
        if (c.Attributes.String("mode", "constant") != "constant") throw c.Error($"mode '{GraphImport.Clip(c.Attributes.String("mode", ""))}' is not supported (constant is).");
        long[] pads = c.Opset >= 11 ? c.Constant(1, "pads").AsLongs($"{c.Where}: pads") : c.Attributes.Ints("pads") ?? throw c.Error("attribute 'pads' is required.");
        float value = c.Opset >= 11 ? c.OptionalConstant(2)?.AsFloats()[0] ?? 0f : c.Attributes.Float("value", 0f);
        if (value != 0) throw c.Error($"padding with {value} is not supported (zero is).");
        if (c.Args.Length > 3 && c.Args[3] != null) throw c.Error("the 'axes' input is not supported.");
        if (pads.Length != 8 || pads[0] != 0 || pads[1] != 0 || pads[4] != 0 || pads[5] != 0 || pads.Any(p => p < 0 || p > 1 << 16))
            throw c.Error($"pads {OnnxConstant.ShapeText(pads)}: only non-negative padding of height and width is supported.");
        var layer = new ZeroPadding2D(((int)pads[2], (int)pads[6], (int)pads[3], (int)pads[7]), name: c.LayerName());
        return new RuntimeValue(c.Apply(layer, x.Tensor), ValueLayout.Nchw);
    }

    /// <summary>Slice of a map's height and width (step 1) → Cropping2D; of a constant vector → the folded constant.</summary>
    private static ImportedValue SliceNode(NodeContext c)
    {
        long[] starts, ends, axes;
        long[]? steps = null;
        if (c.Opset >= 10)
        {
            starts = c.Constant(1, "starts").AsLongs($"{c.Where}: starts");
            ends = c.Constant(2, "ends").AsLongs($"{c.Where}: ends");
            axes = c.OptionalConstant(3)?.AsLongs($"{c.Where}: axes") ?? [.. Enumerable.Range(0, starts.Length).Select(i => (long)i)];
            steps = c.OptionalConstant(4)?.AsLongs($"{c.Where}: steps");
        }
        else
        {
            starts = c.Attributes.Ints("starts") ?? throw c.Error("attribute 'starts' is required.");
            ends = c.Attributes.Ints("ends") ?? throw c.Error("attribute 'ends' is required.");
            axes = c.Attributes.Ints("axes") ?? [.. Enumerable.Range(0, starts.Length).Select(i => (long)i)];
        }
        if (starts.Length != ends.Length || axes.Length != starts.Length || (steps != null && (steps.Length != starts.Length || steps.Any(s => s != 1))))
            throw c.Error("starts, ends and axes must have one entry each, and every step must be 1.");
        if (c.Args[0] is ConstantImport { Value: var constant })
        {
            if (constant.Dims.Length != 1 || axes is not [0 or -1]) throw c.Error("only 1-D constants (shape vectors) are sliced at import.");
            var (from, to) = Clamp(starts[0], ends[0], constant.Length);
            return new ConstantImport(constant.Longs != null ? OnnxConstant.OfLongs(constant.Longs[(int)from..(int)to]) : new([to - from], constant.Floats![(int)from..(int)to], null));
        }
        var x = c.Map(0);
        int[] s = x.Tensor.Shape;
        var crop = new long[4];   // top, bottom, left, right
        for (int i = 0; i < axes.Length; i++)
        {
            long axis = axes[i] < 0 ? axes[i] + 4 : axes[i];
            if (axis is not (2 or 3)) throw c.Error($"slicing ONNX axis {axes[i]} is not supported (height and width are).");
            int length = axis == 2 ? s[0] : s[1];
            var (from, to) = Clamp(starts[i], ends[i], length);
            if (to <= from) throw c.Error("the slice is empty.");
            crop[axis == 2 ? 0 : 2] = from;
            crop[axis == 2 ? 1 : 3] = length - to;
        }
        var layer = new Cropping2D(((int)crop[0], (int)crop[1], (int)crop[2], (int)crop[3]), name: c.LayerName());
        return new RuntimeValue(c.Apply(layer, x.Tensor), ValueLayout.Nchw);
    }

    /// <summary>ONNX's slice bounds: negative counts from the end, everything clamped to [0, length].</summary>
    private static (long From, long To) Clamp(long start, long end, long length)
    {
        long from = start < 0 ? start + length : start, to = end < 0 ? end + length : end;
        return (Math.Clamp(from, 0, length), Math.Clamp(to, 0, length));
    }

    /// <summary>Constant nodes (value, value_float(s), value_int(s)).</summary>
    private static ImportedValue ConstantNode(NodeContext c)
    {
        var a = c.Attributes;
        if (a.Tensor("value") is { } t) return new ConstantImport(OnnxConstant.Decode(t, c.Where));
        if (a.Has("value_float")) return new ConstantImport(new([], [a.Float("value_float", 0)], null));
        if (a.Floats("value_floats") is { } fs) return new ConstantImport(new([fs.Length], fs, null));
        if (a.Has("value_int")) return new ConstantImport(new([], null, [a.Int("value_int", 0)]));
        if (a.Ints("value_ints") is { } ls) return new ConstantImport(OnnxConstant.OfLongs(ls));
        throw c.Error("a Constant needs 'value', 'value_float(s)' or 'value_int(s)'.");
    }

    /// <summary>Shape of a computed tensor, known at import (the batch is −1: dynamic); opset 15's start/end apply.</summary>
    private static ImportedValue ShapeNode(NodeContext c)
    {
        long[] dims = c.Args.Length > 0 && c.Args[0] is ConstantImport k ? k.Value.Dims : OnnxDims(c.Runtime(0));
        var (from, to) = Clamp(c.Attributes.Int("start", 0), c.Attributes.Int("end", dims.Length), dims.Length);
        return new ConstantImport(OnnxConstant.OfLongs(dims[(int)from..(int)to]));
    }

    /// <summary>Unsqueeze, Squeeze and Gather on constants (shape arithmetic); on computed tensors they are not supported.</summary>
    private static ImportedValue ConstantShapeOp(NodeContext c)
    {
        var x = c.Args.Length > 0 && c.Args[0] is ConstantImport k ? k.Value
            : throw c.Error($"{c.Node.OpType} of a computed tensor is not supported (only of constants, as in shape arithmetic).");
        c.Attributes.Ignore("axes", "axis");
        if (c.Node.OpType == "Gather")
        {
            long[] indices = c.Constant(1, "the indices").AsLongs($"{c.Where}: indices");
            if (x.Dims.Length != 1 || c.Attributes.Int("axis", 0) != 0) throw c.Error("only Gather along axis 0 of a 1-D constant is supported.");
            var picked = indices.Select(i => i < 0 ? i + x.Length : i).ToArray();
            if (picked.Any(i => i < 0 || i >= x.Length)) throw c.Error("an index is out of range.");
            bool scalar = c.Args[1] is ConstantImport { Value.Dims.Length: 0 };
            long[] dims = scalar ? [] : [picked.Length];
            return new ConstantImport(x.Longs != null ? new(dims, null, [.. picked.Select(i => x.Longs[i])]) : new(dims, [.. picked.Select(i => x.Floats![i])], null));
        }
        // Unsqueeze/Squeeze: the values stay; only a scalar ↔ 1-D vector change matters for shape arithmetic.
        long[] newDims = c.Node.OpType == "Unsqueeze" ? (x.Dims.Length == 0 ? [1] : [.. x.Dims, 1]) : [.. x.Dims.Where(d => d != 1)];
        if (c.Node.OpType == "Unsqueeze" && x.Dims.Length > 0 && x.Dims.Length != 1) throw c.Error("only scalars and vectors are unsqueezed at import.");
        return new ConstantImport(new(c.Node.OpType == "Unsqueeze" && x.Dims.Length == 1 ? [x.Length] : newDims, x.Floats, x.Longs));
    }
}
