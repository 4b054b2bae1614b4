using static Trilobite.Onnx.Export.OnnxGraphWriter;

namespace Trilobite.Onnx.Export;

internal static partial class LayerExport
{
    /// <summary>The activation as ONNX ops (none for linear). Softmax is over Keras's last axis; GELU is exact, x·Φ(x) through Erf (opset 13 has no Gelu).</summary>
    private static ExportedValue Activate(OnnxGraphWriter g, string owner, Activation activation, ExportedValue x)
    {
        string y = activation switch
        {
            Activation.Linear => x.Name,
            Activation.ReLU => g.Node("Relu", owner, [x.Name]),
            Activation.Sigmoid => g.Node("Sigmoid", owner, [x.Name]),
            Activation.Tanh => g.Node("Tanh", owner, [x.Name]),
            Activation.Softmax => g.Node("Softmax", owner, [x.Name], Int("axis", x.ChannelAxis)),
            Activation.LeakyReLU => g.Node("LeakyRelu", owner, [x.Name], Float("alpha", 0.2f)),
            Activation.ELU => g.Node("Elu", owner, [x.Name], Float("alpha", 1f)),
            Activation.GELU => Gelu(g, owner, x.Name),
            _ => throw new NotSupportedException($"Layer '{owner}': activation {activation} has no ONNX export."),
        };
        return x with { Name = y };
    }

    private static string Gelu(OnnxGraphWriter g, string owner, string x)
    {
        string scaled = g.Node("Mul", owner, [x, g.Floats($"{owner}/inv_sqrt2", [], [(float)(1 / Math.Sqrt(2))])]);
        string erf = g.Node("Erf", owner, [scaled]);
        string onePlus = g.Node("Add", owner, [erf, g.Floats($"{owner}/one", [], [1f])]);
        string half = g.Node("Mul", owner, [x, g.Floats($"{owner}/half", [], [0.5f])]);
        return g.Node("Mul", owner, [half, onePlus]);
    }
}
