namespace Trilobite.Onnx.Export;

/// <summary>
/// A value of the exported graph: its ONNX name and its Keras shape without the batch axis. Image-like values (Keras rank 3,
/// (H, W, C)) are kept NCHW inside the graph, as every ONNX convolution and pooling op expects; all others keep Keras's order.
/// </summary>
internal readonly record struct ExportedValue(string Name, int[] Shape)
{
    /// <summary>True for an (H, W, C) map, stored (N, C, H, W) in the graph.</summary>
    public bool IsNchw => Shape.Length == 3;

    /// <summary>The ONNX axis of Keras's last axis: channels (1) for a map, else the last.</summary>
    public int ChannelAxis => IsNchw ? 1 : Shape.Length;
}
