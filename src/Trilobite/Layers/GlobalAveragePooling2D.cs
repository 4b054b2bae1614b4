using System.Text.Json.Nodes;
using Trilobite.Serialization;

namespace Trilobite.Layers;

/// <summary>Averages each channel over the whole map: (N, H, W, C) → (N, C). ResNet's head.</summary>
public sealed class GlobalAveragePooling2D(int[]? inputShape = null, string? name = null) : SingleInputLayer(name, inputShape)
{
    protected override int[] ComputeOutputShape(int[] s) =>
        s.Length == 3 ? [s[2]] : throw LayerShapeException.For(this, "a 3-D input (height, width, channels)", s);

    protected override Tensor Forward(Tensor x, bool training) => x.GlobalAvgPool2D();

    internal static GlobalAveragePooling2D FromConfig(JsonObject c) => new(Json.OptionalIntArray(c, "input_shape"), Json.OptionalString(c, "name"));
}
