using System.Text;
using Onnx;

namespace Trilobite.Onnx.Import;

/// <summary>
/// A node's attributes by name, with ONNX's defaults. A converter reads the ones it understands, then calls
/// <see cref="RejectOthers"/>: an attribute it did not read is an error naming the node, its op and the attribute.
/// </summary>
internal sealed class NodeAttributes(NodeProto node, string where)
{
    private readonly Dictionary<string, AttributeProto> _byName = node.Attribute.GroupBy(a => a.Name).ToDictionary(g => g.Key, g => g.Last());
    private readonly HashSet<string> _read = [];

    public bool Has(string name) => _byName.ContainsKey(name);

    public long Int(string name, long fallback) => Get(name) is { } a ? a.I : fallback;

    public float Float(string name, float fallback) => Get(name) is { } a ? a.F : fallback;

    public string String(string name, string fallback) => Get(name) is { } a ? Encoding.UTF8.GetString(a.S.Span) : fallback;

    public long[]? Ints(string name) => Get(name) is { } a ? [.. a.Ints] : null;

    public float[]? Floats(string name) => Get(name) is { } a ? [.. a.Floats] : null;

    public TensorProto? Tensor(string name) => Get(name)?.T;

    /// <summary>Marks attributes that carry no meaning for inference (a BatchNormalization's momentum, say) as read.</summary>
    public void Ignore(params string[] names)
    {
        foreach (var n in names) _read.Add(n);
    }

    public void RejectOthers()
    {
        foreach (var name in _byName.Keys)
            if (!_read.Contains(name))
                throw new InvalidDataException($"{where}: attribute '{name}' is not supported.");
    }

    private AttributeProto? Get(string name)
    {
        _read.Add(name);
        return _byName.GetValueOrDefault(name);
    }
}
