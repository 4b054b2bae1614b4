using System.Text;
using Onnx;
using Trilobite.Layers;

namespace Trilobite.Onnx.Import;

/// <summary>
/// Turns one ONNX graph into a Trilobite functional model: graph inputs become Inputs (NHWC), each node becomes the layers
/// that compute it (see <see cref="NodeImport"/>), weights are converted to Keras's layouts and set once the model exists.
/// Every error names the file, the node and its op.
/// </summary>
internal sealed class GraphImport
{
    private const int MaxLayerName = 60;
    private readonly Dictionary<string, ImportedValue> _values = new(StringComparer.Ordinal);
    private readonly Dictionary<string, List<NodeProto>> _consumers = new(StringComparer.Ordinal);
    private readonly List<(Layer Layer, float[][] Weights)> _weights = [];
    private readonly HashSet<string> _layerNames = new(StringComparer.Ordinal);

    public GraphImport(string source, int opset)
    {
        Source = source;
        Opset = opset;
    }

    /// <summary>The file (or "&lt;memory&gt;") errors name.</summary>
    public string Source { get; }

    /// <summary>After <see cref="Build"/>: for each graph input and output, whether its ONNX layout is NCHW (its Trilobite tensor is then NHWC).</summary>
    public bool[] NchwInputs { get; private set; } = [];

    /// <inheritdoc cref="NchwInputs"/>
    public bool[] NchwOutputs { get; private set; } = [];

    /// <summary>The default domain's opset the model declares (7–17).</summary>
    public int Opset { get; }

    public Model Build(GraphProto graph, string modelName)
    {
        foreach (var init in graph.Initializer)
            _values[init.Name] = new ConstantImport(OnnxConstant.Decode(init, $"{Source}: initializer '{Clip(init.Name)}'"));
        foreach (var node in graph.Node)
            foreach (var input in node.Input)
                (_consumers.TryGetValue(input, out var list) ? list : _consumers[input] = []).Add(node);

        var inputs = new List<SymbolicTensor>();
        var nchwInputs = new List<bool>();
        foreach (var input in graph.Input.Where(i => !_values.ContainsKey(i.Name)))
        {
            var (tensor, layout) = GraphInput(input);
            inputs.Add(tensor);
            nchwInputs.Add(layout == ValueLayout.Nchw);
            _values[input.Name] = new RuntimeValue(tensor, layout);
        }
        NchwInputs = [.. nchwInputs];
        if (inputs.Count == 0) throw new InvalidDataException($"{Source}: the graph has no input that is not an initializer.");

        foreach (var node in graph.Node)
        {
            string where = $"{Source}: node '{Clip(node.Name)}' ({Clip(node.OpType)})";
            if (!string.IsNullOrEmpty(node.Domain) && node.Domain != "ai.onnx")
                throw new InvalidDataException($"{where}: operators of domain '{Clip(node.Domain)}' are not supported (only the default ONNX domain is).");
            var args = node.Input.Select(name => name.Length == 0 ? null : _values.GetValueOrDefault(name)
                ?? throw new InvalidDataException($"{where}: input '{Clip(name)}' is not made by any earlier node: the graph is not topologically sorted, or has a cycle.")).ToArray();
            var outputs = NodeImport.Convert(this, node, args, where);
            for (int i = 0; i < node.Output.Count && i < outputs.Length; i++)
                if (node.Output[i].Length > 0) _values[node.Output[i]] = outputs[i];
        }

        var results = graph.Output.Select(o => GraphOutput(o.Name)).ToArray();
        NchwOutputs = [.. graph.Output.Select(o => _values[o.Name] is RuntimeValue { Layout: ValueLayout.Nchw })];
        if (results.Length == 0) throw new InvalidDataException($"{Source}: the graph has no output.");
        var model = new Model([.. inputs], results, LayerName(modelName.Length > 0 ? modelName : "onnx_model"));
        foreach (var (layer, values) in _weights) layer.SetWeights(values);
        return model;
    }

    /// <summary>Calls <paramref name="layer"/> on <paramref name="inputs"/>; <paramref name="weights"/> (Keras layouts) are set once the model exists.</summary>
    public SymbolicTensor Apply(Layer layer, SymbolicTensor[] inputs, float[][]? weights = null)
    {
        var y = layer.Call(inputs);
        if (weights != null) _weights.Add((layer, weights));
        return y;
    }

    /// <summary>A valid, unused layer name made from an ONNX name (letters, digits, '_', '-', '.'; at most 60 characters).</summary>
    public string LayerName(string onnxName)
    {
        var sb = new StringBuilder();
        foreach (char c in onnxName) sb.Append(char.IsAsciiLetterOrDigit(c) || c is '_' or '-' or '.' ? c : '_');
        string baseName = sb.Length == 0 ? "node" : sb.ToString(0, Math.Min(sb.Length, MaxLayerName - 6));
        string name = baseName;
        for (int i = 1; !_layerNames.Add(name); i++) name = $"{baseName}_{i}";
        return name;
    }

    /// <summary>Add nodes whose constant was folded into the MatMul before them as its Dense's bias.</summary>
    public HashSet<NodeProto> FusedBiases { get; } = new(ReferenceEqualityComparer.Instance);

    /// <summary>The value named <paramref name="name"/> if it is a constant known by now, else null.</summary>
    public OnnxConstant? ConstantOf(string name) => _values.GetValueOrDefault(name) is ConstantImport c ? c.Value : null;

    /// <summary>The nodes that read <paramref name="value"/>.</summary>
    public IReadOnlyList<NodeProto> ConsumersOf(string value) => _consumers.GetValueOrDefault(value) ?? [];

    /// <summary>
    /// A graph input: the batch axis first (any size or symbol), the rest fixed. A 4-D input is NCHW, as ONNX's ops take it,
    /// unless every node that reads it is a Transpose to NCHW (a channels-last export, such as Trilobite's own).
    /// </summary>
    private (SymbolicTensor, ValueLayout) GraphInput(ValueInfoProto input)
    {
        string where = $"{Source}: graph input '{Clip(input.Name)}'";
        var type = input.Type?.TensorType ?? throw new InvalidDataException($"{where} is not a tensor.");
        if (type.ElemType != (int)TensorProto.Types.DataType.Float)
            throw new InvalidDataException($"{where} has element type {(TensorProto.Types.DataType)type.ElemType}; Trilobite models take float32.");
        var dims = type.Shape?.Dim ?? throw new InvalidDataException($"{where} has no shape.");
        if (dims.Count < 2) throw new InvalidDataException($"{where} has rank {dims.Count}; a batch axis and at least one more are needed.");
        var shape = new int[dims.Count - 1];
        for (int i = 1; i < dims.Count; i++)
        {
            var d = dims[i];
            if (d.ValueCase != TensorShapeProto.Types.Dimension.ValueOneofCase.DimValue || d.DimValue < 1 || d.DimValue > 1 << 20)
                throw new InvalidDataException($"{where}: axis {i} is '{(d.ValueCase == TensorShapeProto.Types.Dimension.ValueOneofCase.DimParam ? Clip(d.DimParam) : d.DimValue.ToString())}'; every axis but the batch must be a fixed size from 1 to 2^20.");
            shape[i - 1] = (int)d.DimValue;
        }
        if (shape.Length != 3) return (Input.Of(shape, LayerName(input.Name)), ValueLayout.Keras);
        var readers = ConsumersOf(input.Name);
        bool channelsLast = readers.Count > 0 && readers.All(n => n.OpType == "Transpose" && n.Attribute.FirstOrDefault(a => a.Name == "perm")?.Ints is { } p && p.SequenceEqual([0L, 3, 1, 2]));
        return channelsLast
            ? (Input.Of(shape, LayerName(input.Name)), ValueLayout.Keras)
            : (Input.Of([shape[1], shape[2], shape[0]], LayerName(input.Name)), ValueLayout.Nchw);
    }

    private SymbolicTensor GraphOutput(string name)
    {
        var value = _values.GetValueOrDefault(name) ?? throw new InvalidDataException($"{Source}: graph output '{Clip(name)}' is made by no node.");
        return value switch
        {
            RuntimeValue { Layout: ValueLayout.FlattenedChw } => throw new InvalidDataException(
                $"{Source}: graph output '{Clip(name)}' is an NCHW map flattened in (c, h, w) order; Trilobite's Flatten keeps (h, w, c), so this output cannot be reproduced."),
            RuntimeValue r => r.Tensor,
            _ => throw new InvalidDataException($"{Source}: graph output '{Clip(name)}' is a constant; a model's outputs must depend on its input."),
        };
    }

    /// <summary>At most 80 characters of a name from the file, control characters (a newline in an op type) as '?', for one-line error messages.</summary>
    public static string Clip(string text)
    {
        string shown = text.Length <= 80 ? text : text[..77] + "...";
        return shown.Any(char.IsControl) ? new string([.. shown.Select(c => char.IsControl(c) ? '?' : c)]) : shown;
    }
}
