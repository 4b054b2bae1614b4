using Onnx;
using Trilobite.Layers;

namespace Trilobite.Onnx.Import;

/// <summary>
/// Converts one ONNX node into Trilobite layers (or folds it into a constant). The op set is what exporters of CNNs emit;
/// the converters for each family are in the other parts of this class. Anything else — an op, an attribute value, a
/// layout — that Trilobite cannot reproduce exactly is an <see cref="InvalidDataException"/> naming the node, never a
/// silently different model.
/// </summary>
internal static partial class NodeImport
{
    /// <summary>The ops this importer reads (opsets 7–17).</summary>
    public static readonly string[] SupportedOps =
    [
        "Conv", "ConvTranspose", "Gemm", "MatMul", "BatchNormalization", "MaxPool", "AveragePool", "GlobalAveragePool", "GlobalMaxPool",
        "Relu", "LeakyRelu", "Sigmoid", "Tanh", "Softmax", "Elu", "Clip", "Identity", "Dropout", "Flatten", "Reshape", "Transpose",
        "Concat", "Split", "Pad", "Slice", "Resize", "Upsample", "Add", "Sub", "Mul", "Div", "Constant", "Shape", "Unsqueeze", "Squeeze", "Gather", "Cast",
    ];

    public static ImportedValue[] Convert(GraphImport g, NodeProto node, ImportedValue?[] args, string where)
    {
        var attributes = new NodeAttributes(node, where);
        var context = new NodeContext(g, node, args, attributes, where);
        ImportedValue[] outputs = node.OpType switch
        {
            "Conv" => [Conv(context)],
            "ConvTranspose" => [ConvTranspose(context)],
            "Gemm" => [Gemm(context)],
            "MatMul" => [MatMul(context)],
            "BatchNormalization" => [BatchNorm(context)],
            "MaxPool" or "AveragePool" => [Pool(context)],
            "GlobalAveragePool" or "GlobalMaxPool" => [GlobalPool(context)],
            "Relu" or "LeakyRelu" or "Sigmoid" or "Tanh" or "Softmax" or "Elu" or "Clip" => [Activate(context)],
            "Identity" or "Dropout" or "Cast" => [PassThrough(context)],
            "Flatten" => [FlattenNode(context)],
            "Reshape" => [ReshapeNode(context)],
            "Transpose" => [TransposeNode(context)],
            "Concat" => [ConcatNode(context)],
            "Split" => SplitNode(context),
            "Pad" => [PadNode(context)],
            "Slice" => [SliceNode(context)],
            "Resize" or "Upsample" => [ResizeNode(context)],
            "Add" or "Sub" or "Mul" or "Div" => [Arithmetic(context)],
            "Constant" => [ConstantNode(context)],
            "Shape" => [ShapeNode(context)],
            "Unsqueeze" or "Squeeze" or "Gather" => [ConstantShapeOp(context)],
            _ => throw new InvalidDataException($"{where}: the op is not supported. Supported: {string.Join(", ", SupportedOps)}."),
        };
        attributes.RejectOthers();
        return outputs;
    }

    /// <summary>What a converter works with: the import, the node, its inputs and attributes, and the text that names it in errors.</summary>
    private sealed record NodeContext(GraphImport Import, NodeProto Node, ImportedValue?[] Args, NodeAttributes Attributes, string Where)
    {
        public InvalidDataException Error(string message) => new($"{Where}: {message}");

        public string LayerName(string suffix = "") => Import.LayerName((Node.Name.Length > 0 ? Node.Name : Node.OpType) + suffix);

        public int Opset => Import.Opset;

        /// <summary>Input <paramref name="i"/> as a runtime tensor.</summary>
        public RuntimeValue Runtime(int i) => i < Args.Length && Args[i] is RuntimeValue r ? r
            : throw Error(i < Args.Length && Args[i] is ConstantImport ? $"input {i} is a constant; a tensor computed from the model's input is needed." : $"input {i} is missing.");

        /// <summary>Input <paramref name="i"/> as an NCHW map (the input of a Conv, a pool, …).</summary>
        public RuntimeValue Map(int i)
        {
            var x = Runtime(i);
            if (x.Layout != ValueLayout.Nchw)
                throw Error($"input {i} is {(x.Rank == 4 ? "a channels-last 4-D tensor" : $"of rank {x.Rank}")}; this op takes an (N, C, H, W) map.");
            return x;
        }

        /// <summary>Input <paramref name="i"/> as a constant, or null when absent or empty (an optional input).</summary>
        public OnnxConstant? OptionalConstant(int i) => i >= Args.Length || Args[i] is null ? null
            : Args[i] is ConstantImport c ? c.Value : throw Error($"input {i} must be a constant (an initializer or a Constant node), not computed from the model's input.");

        public OnnxConstant Constant(int i, string what) => OptionalConstant(i) ?? throw Error($"{what} (input {i}) is missing.");

        public SymbolicTensor Apply(Layer layer, SymbolicTensor input, float[][]? weights = null) => Import.Apply(layer, [input], weights);
    }

    private static ImportedValue PassThrough(NodeContext c)
    {
        c.Attributes.Ignore("ratio", "seed", "is_test", "to", "training_mode");
        if (c.Node.OpType == "Dropout" && c.Args.Length > 2 && c.Args[2] is ConstantImport { Value: var mode } && mode.AsLongs("training_mode").Any(v => v != 0))
            throw c.Error("training mode is on; an imported model runs Dropout as the identity.");
        if (c.Node.OpType == "Cast" && c.Attributes.Int("to", 1) is not (1 or 7) )
            throw c.Error("only casts to float or int64 are supported.");
        return c.Args.Length > 0 && c.Args[0] is { } v ? v : throw c.Error("input 0 is missing.");
    }
}
