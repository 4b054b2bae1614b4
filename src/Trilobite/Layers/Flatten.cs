using System.Text.Json.Nodes;
using Trilobite.Serialization;

namespace Trilobite.Layers;

/// <summary>(N, d1, d2, …) → (N, d1·d2·…), in row-major (channels-last) order, as Keras.</summary>
public sealed class Flatten(int[]? inputShape = null, string? name = null) : SingleInputLayer(name, inputShape)
{
    /// <summary>(d1, d2, …) → (d1·d2·…).</summary>
    protected override int[] ComputeOutputShape(int[] s) => [s.Aggregate(1, (a, b) => a * b)];

    /// <summary>A reshape to (N, d1·d2·…); the values keep their order.</summary>
    protected override Tensor Forward(Tensor x, bool training) => x.Reshape(x.Dim(0), OutputShape[0]);

    internal static Flatten FromConfig(JsonObject c) => new(Json.OptionalIntArray(c, "input_shape"), Json.OptionalString(c, "name"));
}
