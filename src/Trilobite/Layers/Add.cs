using System.Text.Json.Nodes;
using Trilobite.Serialization;

namespace Trilobite.Layers;

/// <summary>Sums two or more inputs of the same shape: the skip connection of a residual block.</summary>
public sealed class Add(string? name = null) : Layer(name)
{
    /// <inheritdoc/>
    public override int InputCount => -1;

    /// <summary>The common input shape; throws <see cref="LayerShapeException"/> when the inputs' shapes differ.</summary>
    protected override int[] ComputeOutputShape(int[][] s)
    {
        foreach (var shape in s)
            if (!shape.SequenceEqual(s[0]))
                throw new LayerShapeException($"Layer '{Name}' (Add) needs inputs of one shape, but received {string.Join(" and ", s.Select(x => ShapeText.WithBatch(x)))}.");
        return s[0];
    }

    /// <summary>The elementwise sum of the inputs.</summary>
    public override Tensor Forward(IReadOnlyList<Tensor> inputs, bool training)
    {
        var sum = inputs[0] + inputs[1];
        for (int i = 2; i < inputs.Count; i++) sum += inputs[i];
        return sum;
    }

    internal static Add FromConfig(JsonObject c) => new(Json.OptionalString(c, "name"));
}
