using System.Text.Json.Nodes;
using Trilobite.Serialization;

namespace Trilobite.Layers;

/// <summary>Joins inputs along the last axis (channels), as U-Net's skip connections do.</summary>
public sealed class Concatenate(string? name = null) : Layer(name)
{
    /// <inheritdoc/>
    public override int InputCount => -1;

    /// <summary>The inputs' shape with the last axes summed; throws <see cref="LayerShapeException"/> when the inputs differ in rank or on any other axis.</summary>
    protected override int[] ComputeOutputShape(int[][] s)
    {
        foreach (var shape in s)
            if (shape.Length != s[0].Length || !shape[..^1].SequenceEqual(s[0][..^1]))
                throw new LayerShapeException($"Layer '{Name}' (Concatenate) needs inputs that agree on all but the last axis, but received {string.Join(" and ", s.Select(x => ShapeText.WithBatch(x)))}.");
        int[] result = (int[])s[0].Clone();
        result[^1] = s.Sum(shape => shape[^1]);
        return result;
    }

    /// <summary>The inputs joined along the last axis, in order.</summary>
    public override Tensor Forward(IReadOnlyList<Tensor> inputs, bool training) => Tensor.Concat([.. inputs]);

    internal static Concatenate FromConfig(JsonObject c) => new(Json.OptionalString(c, "name"));
}
