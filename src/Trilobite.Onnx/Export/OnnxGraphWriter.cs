using Google.Protobuf;
using Onnx;

namespace Trilobite.Onnx.Export;

/// <summary>
/// Builds one ONNX graph: nodes, initializers and unique value names. Every helper returns the name of the value it
/// made, so that exporters read as the dataflow they write: <c>var y = g.Node("Relu", layer, x);</c>
/// </summary>
internal sealed class OnnxGraphWriter
{
    private readonly HashSet<string> _names = new(StringComparer.Ordinal);

    public GraphProto Graph { get; } = new();

    /// <summary><paramref name="wanted"/>, or wanted_1, wanted_2, … if it is taken.</summary>
    public string UniqueName(string wanted)
    {
        string name = wanted;
        for (int i = 1; !_names.Add(name); i++) name = $"{wanted}_{i}";
        return name;
    }

    /// <summary>Adds a node of <paramref name="op"/> named after <paramref name="owner"/> and returns its one output.</summary>
    public string Node(string op, string owner, string[] inputs, params AttributeProto[] attributes)
    {
        string output = UniqueName($"{owner}/{op}");
        var node = new NodeProto { OpType = op, Name = UniqueName($"{owner}/{op}:node") };
        node.Input.AddRange(inputs);
        node.Output.Add(output);
        node.Attribute.AddRange(attributes);
        Graph.Node.Add(node);
        return output;
    }

    /// <summary>Adds a float initializer of shape <paramref name="dims"/> holding <paramref name="values"/> (row-major).</summary>
    public string Floats(string name, long[] dims, float[] values)
    {
        var tensor = new TensorProto { Name = UniqueName(name), DataType = (int)TensorProto.Types.DataType.Float };
        tensor.Dims.AddRange(dims);
        var bytes = new byte[values.Length * sizeof(float)];
        Buffer.BlockCopy(values, 0, bytes, 0, bytes.Length);
        if (!BitConverter.IsLittleEndian) throw new PlatformNotSupportedException("ONNX raw data is little-endian; this machine is not.");
        tensor.RawData = ByteString.CopyFrom(bytes);
        Graph.Initializer.Add(tensor);
        return tensor.Name;
    }

    /// <summary>Adds a 1-D int64 initializer (shapes, pads, slice bounds).</summary>
    public string Int64s(string name, params long[] values)
    {
        var tensor = new TensorProto { Name = UniqueName(name), DataType = (int)TensorProto.Types.DataType.Int64 };
        tensor.Dims.Add(values.Length);
        tensor.Int64Data.AddRange(values);
        Graph.Initializer.Add(tensor);
        return tensor.Name;
    }

    /// <summary>A graph input or output: float, batch axis named "N", then <paramref name="dims"/>.</summary>
    public static ValueInfoProto Value(string name, IEnumerable<long> dims)
    {
        var shape = new TensorShapeProto();
        shape.Dim.Add(new TensorShapeProto.Types.Dimension { DimParam = "N" });
        foreach (long d in dims) shape.Dim.Add(new TensorShapeProto.Types.Dimension { DimValue = d });
        return new ValueInfoProto
        {
            Name = name,
            Type = new TypeProto { TensorType = new TypeProto.Types.Tensor { ElemType = (int)TensorProto.Types.DataType.Float, Shape = shape } },
        };
    }

    public static AttributeProto Ints(string name, params long[] values)
    {
        var a = new AttributeProto { Name = name, Type = AttributeProto.Types.AttributeType.Ints };
        a.Ints.AddRange(values);
        return a;
    }

    public static AttributeProto Int(string name, long value) => new() { Name = name, Type = AttributeProto.Types.AttributeType.Int, I = value };

    public static AttributeProto Float(string name, float value) => new() { Name = name, Type = AttributeProto.Types.AttributeType.Float, F = value };

    public static AttributeProto String(string name, string value) =>
        new() { Name = name, Type = AttributeProto.Types.AttributeType.String, S = ByteString.CopyFromUtf8(value) };
}
