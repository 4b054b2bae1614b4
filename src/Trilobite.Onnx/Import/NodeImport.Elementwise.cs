using Trilobite.Autograd.Ops;
using Trilobite.Layers;

namespace Trilobite.Onnx.Import;

internal static partial class NodeImport
{
    /// <summary>Relu, Sigmoid, Tanh, Softmax over the channels, Elu (α 1), Clip(0, ∞) → an Activation layer; LeakyRelu → a LeakyReLU layer.</summary>
    private static ImportedValue Activate(NodeContext c)
    {
        var x = c.Runtime(0);
        Activation activation = c.Node.OpType switch
        {
            "Relu" => Activation.ReLU,
            "Sigmoid" => Activation.Sigmoid,
            "Tanh" => Activation.Tanh,
            "Softmax" => SoftmaxOverChannels(c, x),
            "LeakyRelu" => Activation.LeakyReLU,   // the layer below takes any slope
            "Elu" => c.Attributes.Float("alpha", 1f) == 1f ? Activation.ELU : throw c.Error("attribute 'alpha' must be 1."),
            _ => ClipAsRelu(c),
        };
        Layer layer = c.Node.OpType == "LeakyRelu" ? new LeakyReLU(c.Attributes.Float("alpha", 0.01f), name: c.LayerName()) : new ActivationLayer(activation, name: c.LayerName());
        return new RuntimeValue(c.Apply(layer, x.Tensor), x.Layout, x.MapShape);
    }

    /// <summary>Softmax must run over Keras's last axis: ONNX axis 1 of a map (opset 13's per-axis rule), or the last of a flat value.</summary>
    private static Activation SoftmaxOverChannels(NodeContext c, RuntimeValue x)
    {
        long axis = c.Attributes.Int("axis", c.Opset >= 13 ? -1 : 1);
        if (axis < 0) axis += x.Rank;
        bool lastAxis = x.Layout switch
        {
            ValueLayout.Nchw => axis == 1 && (c.Opset >= 13 || x.Tensor.Shape[0] * x.Tensor.Shape[1] == 1),
            ValueLayout.FlattenedChw => axis == 1,
            _ => axis == x.Rank - 1 || (c.Opset < 13 && axis == 1),
        };
        return lastAxis ? Activation.Softmax : throw c.Error($"softmax over ONNX axis {axis} of this input is not over its channels; Trilobite's softmax is over the last axis.");
    }

    /// <summary>Clip with min 0 and no max (or +∞) is a ReLU; other bounds (ReLU6) are not supported.</summary>
    private static Activation ClipAsRelu(NodeContext c)
    {
        float min = c.Opset >= 11 ? c.OptionalConstant(1)?.AsFloats()[0] ?? float.NegativeInfinity : c.Attributes.Float("min", float.NegativeInfinity);
        float max = c.Opset >= 11 ? c.OptionalConstant(2)?.AsFloats()[0] ?? float.PositiveInfinity : c.Attributes.Float("max", float.PositiveInfinity);
        return min == 0 && float.IsPositiveInfinity(max) ? Activation.ReLU
            : throw c.Error($"Clip to [{min}, {max}] is not supported; only Clip(0, ∞) (a ReLU) is.");
    }

    /// <summary>
    /// Add/Sub/Mul/Div. Two tensors: Add of equal shapes → an Add layer. A tensor and a constant: an ElementwiseConstant
    /// with the constant moved to Keras's axis order. An Add that is a MatMul's bias was folded into its Dense already.
    /// </summary>
    private static ImportedValue Arithmetic(NodeContext c)
    {
        if (c.Import.FusedBiases.Contains(c.Node)) return c.Runtime(0);
        var op = c.Node.OpType switch { "Add" => BinaryOperator.Add, "Sub" => BinaryOperator.Subtract, "Mul" => BinaryOperator.Multiply, _ => BinaryOperator.Divide };
        c.Attributes.Ignore("broadcast", "axis");   // opset < 7 broadcasting flags; opset 7+ broadcasts as NumPy
        if (c.Args.Length != 2 || c.Args[0] is null || c.Args[1] is null) throw c.Error("two inputs are needed.");
        if (c.Args[0] is RuntimeValue a && c.Args[1] is RuntimeValue b)
        {
            if (op != BinaryOperator.Add) throw c.Error($"{c.Node.OpType} of two computed tensors is not supported (Add is).");
            if (a.Layout != b.Layout || !a.Tensor.Shape.SequenceEqual(b.Tensor.Shape))
                throw c.Error($"the inputs have shapes {ShapeText.WithBatch(a.Tensor.Shape)} and {ShapeText.WithBatch(b.Tensor.Shape)}; Add needs equal shapes.");
            return new RuntimeValue(c.Import.Apply(new Add(name: c.LayerName()), [a.Tensor, b.Tensor]), a.Layout, a.MapShape);
        }
        if (c.Args[0] is ConstantImport ca && c.Args[1] is ConstantImport cb) return new ConstantImport(FoldArithmetic(c, op, ca.Value, cb.Value));
        bool constantFirst = c.Args[0] is ConstantImport;
        var x = c.Runtime(constantFirst ? 1 : 0);
        var (values, shape) = KerasOrderConstant(c, x, ((ConstantImport)c.Args[constantFirst ? 0 : 1]!).Value);
        var layer = new ElementwiseConstant(op, values, shape, constantFirst, name: c.LayerName());
        return new RuntimeValue(c.Apply(layer, x.Tensor), x.Layout, x.MapShape);
    }

    /// <summary>A constant that broadcasts over an ONNX value, as the shape and values that broadcast the same way over its Keras tensor.</summary>
    private static (float[] Values, int[] Shape) KerasOrderConstant(NodeContext c, RuntimeValue x, OnnxConstant constant)
    {
        float[] v = constant.AsFloats();
        if (v.Length == 1) return (v, []);
        if (constant.Dims.Length > x.Rank) throw c.Error($"the constant of shape {OnnxConstant.ShapeText(constant.Dims)} has more axes than the input.");
        long[] dims = [.. Enumerable.Repeat(1L, x.Rank - constant.Dims.Length), .. constant.Dims];
        if (dims[0] != 1) throw c.Error($"the constant of shape {OnnxConstant.ShapeText(constant.Dims)} varies along the batch axis.");
        if (x.Layout == ValueLayout.FlattenedChw) throw c.Error("a non-scalar constant on a flattened (c, h, w) map is not supported.");
        if (x.Layout == ValueLayout.Keras) return (v, [.. dims.Skip(1).Select(d => (int)d)]);
        int ch = (int)dims[1], h = (int)dims[2], w = (int)dims[3];
        var hwc = new float[v.Length];
        for (int k = 0; k < ch; k++)
            for (int y = 0; y < h; y++)
                for (int i = 0; i < w; i++) hwc[(y * w + i) * ch + k] = v[(k * h + y) * w + i];
        return (hwc, [h, w, ch]);
    }

    /// <summary>Arithmetic on two constants of equal size or with a scalar (shape computations).</summary>
    private static OnnxConstant FoldArithmetic(NodeContext c, BinaryOperator op, OnnxConstant a, OnnxConstant b)
    {
        if (a.Length != b.Length && a.Length != 1 && b.Length != 1) throw c.Error("arithmetic on two constants is folded only for equal sizes or a scalar.");
        int n = Math.Max(a.Length, b.Length);
        long[] dims = a.Length >= b.Length ? a.Dims : b.Dims;
        if (a.Longs != null && b.Longs != null)
        {
            long[] x = a.Longs, y = b.Longs;
            return new(dims, null, [.. Enumerable.Range(0, n).Select(i => Apply(op, x[x.Length == 1 ? 0 : i], y[y.Length == 1 ? 0 : i]))]);
        }
        float[] p = a.AsFloats(), q = b.AsFloats();
        return new(dims, [.. Enumerable.Range(0, n).Select(i => Apply(op, p[p.Length == 1 ? 0 : i], q[q.Length == 1 ? 0 : i]))], null);
    }

    private static long Apply(BinaryOperator op, long a, long b) => op switch
    {
        BinaryOperator.Add => a + b,
        BinaryOperator.Subtract => a - b,
        BinaryOperator.Multiply => a * b,
        _ => b == 0 ? throw new InvalidDataException("division by zero in a shape computation") : a / b,
    };

    private static float Apply(BinaryOperator op, float a, float b) => op switch
    {
        BinaryOperator.Add => a + b,
        BinaryOperator.Subtract => a - b,
        BinaryOperator.Multiply => a * b,
        _ => a / b,
    };

    /// <summary>
    /// The bias of a MatMul whose only reader is an Add of a constant vector of its width (how PyTorch and tf2onnx write
    /// Dense): the Add is marked folded, and the Dense gets the bias. Null when the pattern is not there.
    /// </summary>
    private static float[]? FusedBias(NodeContext c, int units)
    {
        var readers = c.Import.ConsumersOf(c.Node.Output[0]);
        if (readers is not [{ OpType: "Add" } add]) return null;
        string other = add.Input[0] == c.Node.Output[0] ? add.Input[1] : add.Input[0];
        if (c.Import.ConstantOf(other) is not { } bias || bias.Length != units || bias.Dims.Count(d => d != 1) > 1) return null;
        c.Import.FusedBiases.Add(add);
        return bias.AsFloats();
    }
}
