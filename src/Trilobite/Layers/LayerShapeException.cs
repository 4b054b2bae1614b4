namespace Trilobite.Layers;

/// <summary>A layer received an input whose shape it cannot take; the message names the layer and both shapes.</summary>
public sealed class LayerShapeException(string message) : ArgumentException(message)
{
    internal static LayerShapeException For(Layer layer, string expected, int[] received) =>
        new($"Layer '{layer.Name}' ({layer.TypeName}) expected {expected}, but received input of shape {ShapeText.WithBatch(received)}.");
}
