using Google.Protobuf;
using Onnx;
using Trilobite.Onnx.Import;

namespace Trilobite.Onnx;

/// <summary>
/// Reads an ONNX model into a Trilobite <see cref="Model"/>: NHWC, trainable, summarisable and saveable like any other.
/// <code>var features = OnnxImporter.Load("ResNet18.onnx");  features.Summary();</code>
/// The graph's NCHW maps become NHWC tensors (a 4-D input is taken as NCHW unless it is transposed from NHWC first, as
/// Trilobite's own exports are); kernels go from OIHW to Keras's HWIO; a Gemm after a Flatten of a map gets its rows
/// reordered from (c, h, w) to (h, w, c). Map outputs come out NHWC. Opsets 7–17 of the default domain are read; an
/// unsupported op, attribute or layout is an <see cref="InvalidDataException"/> naming the file, the node and its op.
/// </summary>
public static class OnnxImporter
{
    /// <summary>Files larger than this are refused before reading (protobuf's own limit is 2 GiB).</summary>
    public const long MaxFileBytes = int.MaxValue;

    /// <summary>Reads <paramref name="path"/>. Throws <see cref="FileNotFoundException"/> for a missing file and <see cref="InvalidDataException"/> naming it for anything wrong inside.</summary>
    public static Model Load(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        var info = new FileInfo(path);
        if (!info.Exists) throw new FileNotFoundException($"ONNX file '{path}' does not exist.", path);
        if (info.Length > MaxFileBytes) throw new InvalidDataException($"{path}: {info.Length} bytes is more than an ONNX file can hold (2 GiB).");
        return FromBytes(File.ReadAllBytes(path), path);
    }

    /// <summary>Reads a model from <paramref name="bytes"/>; <paramref name="source"/> names it in errors.</summary>
    public static Model FromBytes(byte[] bytes, string source = "<memory>") => Import(bytes, source).Model;

    /// <summary>The model and, for each graph input and output, whether ONNX holds it NCHW (the Trilobite tensor is then NHWC).</summary>
    internal static (Model Model, bool[] NchwInputs, bool[] NchwOutputs) Import(byte[] bytes, string source)
    {
        ArgumentNullException.ThrowIfNull(bytes);
        ModelProto proto;
        try
        {
            proto = ModelProto.Parser.ParseFrom(bytes);
        }
        catch (InvalidProtocolBufferException e)
        {
            throw new InvalidDataException($"{source}: not an ONNX model ({e.Message.TrimEnd('.')}).", e);
        }
        if (proto.Graph == null || proto.Graph.Node.Count == 0) throw new InvalidDataException($"{source}: not an ONNX model (no graph, or a graph without nodes).");
        var opsets = proto.OpsetImport.Where(o => o.Domain is "" or "ai.onnx").ToList();
        int opset = opsets.Count == 0 ? 1 : (int)opsets.Max(o => o.Version);
        if (opset is < 7 or > 17) throw new InvalidDataException($"{source}: opset {opset} of the default domain; Trilobite reads opsets 7 to 17.");
        try
        {
            var import = new GraphImport(source, opset);
            var model = import.Build(proto.Graph, proto.Graph.Name);
            foreach (var entry in proto.MetadataProps) model.Metadata[entry.Key] = entry.Value;
            return (model, import.NchwInputs, import.NchwOutputs);
        }
        catch (Exception e) when (e is ArgumentException or Trilobite.Layers.LayerShapeException or OverflowException)
        {
            throw new InvalidDataException($"{source}: {e.Message}", e);
        }
    }
}
