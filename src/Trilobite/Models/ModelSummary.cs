using System.Globalization;
using System.Text;
using Trilobite.Layers;

namespace Trilobite;

/// <summary>
/// Keras's summary table. A Sequential prints "Layer (type) | Output Shape | Param #" with columns
/// ending at 29, 55 and 65 characters; a functional model adds "Connected to" (columns at 32, 53,
/// 65, 98). A field longer than its column pushes the line on by one space, as Keras does.
/// </summary>
internal static class ModelSummary
{
    public static string Render(Model model)
    {
        bool functional = model is not Sequential;
        int[] positions = functional ? [32, 53, 65, 98] : [29, 55, 65];
        int width = positions[^1];
        var sb = new StringBuilder();
        sb.Append("Model: \"").Append(model.Name).Append("\"\n");
        sb.Append('_', width).Append('\n');
        string[] header = functional ? ["Layer (type)", "Output Shape", "Param #", "Connected to"] : ["Layer (type)", "Output Shape", "Param #"];
        Row(sb, header, positions);
        sb.Append('=', width).Append('\n');
        // Keras's "layer[node][tensor]": a layer called more than once (a shared head) has one node per call.
        var nodeIndex = new Dictionary<SymbolicTensor, int>(ReferenceEqualityComparer.Instance);
        foreach (var group in model.Nodes.GroupBy(n => n.Layer))
        {
            int k = 0;
            foreach (var n in group) nodeIndex[n] = k++;
        }
        foreach (var node in model.Nodes)
        {
            var layer = node.Layer;
            if (!functional && layer is InputLayer) continue;
            string connected = string.Join(", ", node.Inputs.Select(i => $"{i.Layer.Name}[{nodeIndex.GetValueOrDefault(i)}][0]"));
            string[] fields = [$"{layer.Name} ({layer.TypeName})", ShapeText.WithBatch(node.Shape), layer.ParameterCount.ToString(CultureInfo.InvariantCulture)];
            Row(sb, functional ? [.. fields, connected] : fields, positions);
        }
        sb.Append('=', width).Append('\n');
        long total = model.Weights.Sum(w => (long)w.Size);   // from shapes: a summary draws no weights
        long trainable = model.Weights.Where(w => w.Trainable).Sum(w => (long)w.Size);
        sb.Append("Total params: ").Append(total.ToString("N0", CultureInfo.InvariantCulture)).Append('\n');
        sb.Append("Trainable params: ").Append(trainable.ToString("N0", CultureInfo.InvariantCulture)).Append('\n');
        sb.Append("Non-trainable params: ").Append((total - trainable).ToString("N0", CultureInfo.InvariantCulture)).Append('\n');
        sb.Append('_', width).Append('\n');
        return sb.ToString();
    }

    private static void Row(StringBuilder sb, string[] fields, int[] positions)
    {
        var line = new StringBuilder();
        for (int i = 0; i < fields.Length; i++)
        {
            line.Append(fields[i]);
            if (i == fields.Length - 1) break;
            if (line.Length >= positions[i]) line.Append(' ');
            else line.Append(' ', positions[i] - line.Length);
        }
        sb.Append(line.ToString().TrimEnd()).Append('\n');
    }
}
