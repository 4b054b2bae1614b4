namespace Trilobite.Onnx;

/// <summary>How <see cref="OnnxExporter"/> writes a model.</summary>
public sealed record OnnxExportOptions
{
    /// <summary>
    /// False (the default): the graph takes and returns images as Trilobite does, NHWC, with one Transpose at each 4-D input
    /// and output. True: it takes and returns NCHW, as most ONNX tools and PyTorch expect, without those Transposes.
    /// </summary>
    public bool NchwInput { get; init; }
}
