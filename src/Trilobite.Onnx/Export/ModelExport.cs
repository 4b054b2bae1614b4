using System.Reflection;
using Onnx;
using Trilobite.Layers;
using static Trilobite.Onnx.Export.OnnxGraphWriter;

namespace Trilobite.Onnx.Export;

/// <summary>
/// Walks a model's graph in execution order and writes each layer call (nested models inline). Inputs arrive NHWC (or
/// NCHW when asked) and go through one Transpose into the NCHW graph; map outputs leave through one Transpose back.
/// </summary>
internal static class ModelExport
{
    public const int Opset = 13;
    public const int IrVersion = 7;   // the IR version that goes with opset 13

    public static ModelProto Build(Model model, OnnxExportOptions options)
    {
        if (model.GraphInputs.Count == 0)
            throw new InvalidOperationException($"Model '{model.Name}' has no graph yet: give its first layer an inputShape, or build it, before exporting.");
        var g = new OnnxGraphWriter();
        g.Graph.Name = model.Name;
        var values = new Dictionary<SymbolicTensor, ExportedValue>(ReferenceEqualityComparer.Instance);
        for (int i = 0; i < model.GraphInputs.Count; i++)
        {
            var input = model.GraphInputs[i];
            string name = g.UniqueName(model.GraphInputs.Count == 1 ? "input" : input.Layer.Name);
            int[] s = input.Shape;
            bool map = s.Length == 3;
            g.Graph.Input.Add(Value(name, (map && options.NchwInput ? [s[2], s[0], s[1]] : s).Select(d => (long)d)));
            string inGraph = map && !options.NchwInput ? g.Node("Transpose", name, [name], Ints("perm", 0, 3, 1, 2)) : name;
            values[input] = new ExportedValue(inGraph, s);
        }
        WriteNodes(g, model, values);
        for (int i = 0; i < model.GraphOutputs.Count; i++)
        {
            var output = model.GraphOutputs[i];
            var value = values[output];
            string name = g.UniqueName(model.GraphOutputs.Count == 1 ? "output" : output.Layer.Name);
            g.Graph.Node.Add(OutputNode(value, name, options.NchwInput));
            int[] s = value.Shape;
            g.Graph.Output.Add(Value(name, (value.IsNchw && options.NchwInput ? [s[2], s[0], s[1]] : s).Select(d => (long)d)));
        }
        var proto = new ModelProto
        {
            IrVersion = IrVersion,
            ProducerName = "Trilobite",
            ProducerVersion = typeof(Model).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "",
            DocString = $"{model.Name}, exported by Trilobite: input {(options.NchwInput ? "NCHW" : "NHWC")}, float32.",
            Graph = g.Graph,
        };
        proto.OpsetImport.Add(new OperatorSetIdProto { Domain = "", Version = Opset });
        foreach (var (key, value) in model.Metadata.OrderBy(p => p.Key, StringComparer.Ordinal))
            proto.MetadataProps.Add(new StringStringEntryProto { Key = key, Value = value });
        return proto;
    }

    private static void WriteNodes(OnnxGraphWriter g, Model model, Dictionary<SymbolicTensor, ExportedValue> values)
    {
        foreach (var node in model.Nodes)
        {
            if (values.ContainsKey(node)) continue;
            var inputs = node.Inputs.Select(i => values[i]).ToArray();
            values[node] = node.Layer is Model inner ? Inline(g, inner, inputs) : LayerExport.Write(g, node.Layer, inputs);
        }
    }

    /// <summary>A model used as a layer: its graph, fed with the outer values; its first output, as <see cref="Model.Forward(IReadOnlyList{Tensor}, bool)"/>.</summary>
    private static ExportedValue Inline(OnnxGraphWriter g, Model inner, ExportedValue[] inputs)
    {
        var values = new Dictionary<SymbolicTensor, ExportedValue>(ReferenceEqualityComparer.Instance);
        for (int i = 0; i < inner.GraphInputs.Count; i++) values[inner.GraphInputs[i]] = inputs[i];
        WriteNodes(g, inner, values);
        return values[inner.GraphOutputs[0]];
    }

    /// <summary>The node that names a graph output: a Transpose back to NHWC for a map, else an Identity.</summary>
    private static NodeProto OutputNode(ExportedValue value, string name, bool nchw)
    {
        bool transpose = value.IsNchw && !nchw;
        var node = new NodeProto { OpType = transpose ? "Transpose" : "Identity", Name = name + ":node" };
        node.Input.Add(value.Name);
        node.Output.Add(name);
        if (transpose) node.Attribute.Add(Ints("perm", 0, 2, 3, 1));
        return node;
    }
}
