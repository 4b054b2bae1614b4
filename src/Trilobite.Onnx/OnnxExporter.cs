using Google.Protobuf;
using Trilobite.Onnx.Export;

namespace Trilobite.Onnx;

/// <summary>
/// Writes a Trilobite model as ONNX (opset 13, IR 7) for ONNX Runtime and every other ONNX tool:
/// <code>OnnxExporter.Export(model, "lenet.onnx");</code>
/// Inside the graph maps are NCHW with the weights permuted (OIHW), Keras 'same' becomes explicit (possibly asymmetric)
/// pads, BatchNormalization carries Keras's ε, average pooling does not count padding, Flatten keeps Keras's (h, w, c)
/// order, Dropout is the identity, and the batch axis is dynamic ("N"). The model's metadata goes into metadata_props.
/// </summary>
public static class OnnxExporter
{
    /// <summary>
    /// The ONNX bytes of <paramref name="model"/>. Throws <see cref="NotSupportedException"/> naming the first layer that
    /// has no ONNX counterpart (capsules, say), and <see cref="InvalidOperationException"/> for a model without a graph.
    /// </summary>
    public static byte[] ToBytes(Model model, OnnxExportOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(model);
        return ModelExport.Build(model, options ?? new OnnxExportOptions()).ToByteArray();
    }

    /// <summary>Writes <see cref="ToBytes"/> to <paramref name="path"/> atomically: a failed export leaves any old file as it was.</summary>
    public static void Export(Model model, string path, OnnxExportOptions? options = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        byte[] bytes = ToBytes(model, options);
        Trilobite.Serialization.AtomicFile.Write(path, stream => stream.Write(bytes));
    }
}
