namespace Trilobite.Layers;

/// <summary>
/// A placeholder in the functional API: the shape (without batch) a layer will produce, and which
/// layer produced it from which inputs. <c>new Model(input, output)</c> walks these back to find the graph.
/// </summary>
public sealed class SymbolicTensor
{
    internal SymbolicTensor(int[] shape, Layer layer, SymbolicTensor[] inputs)
    {
        Shape = shape;
        Layer = layer;
        Inputs = inputs;
    }

    /// <summary>Shape without the batch axis.</summary>
    public int[] Shape { get; }

    /// <summary>The layer that produces it (an <see cref="InputLayer"/> for a model input).</summary>
    public Layer Layer { get; }

    /// <summary>The tensors <see cref="Layer"/> was called on (none for a model input).</summary>
    public SymbolicTensor[] Inputs { get; }

    /// <summary>The shape with its batch axis and the producing layer, e.g. "SymbolicTensor(None, 28, 28, 1) from input_1".</summary>
    public override string ToString() => $"SymbolicTensor{ShapeText.WithBatch(Shape)} from {Layer.Name}";
}
