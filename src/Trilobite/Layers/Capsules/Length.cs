using System.Text.Json.Nodes;
using Trilobite.Serialization;

namespace Trilobite.Layers;

/// <summary>
/// Each capsule's length, (N, capsules, dim) → (N, capsules): the probability that its entity is present, so a capsule
/// network's class scores. The gradient at a zero capsule is 0 (see <see cref="Tensor.VectorNorm"/>).
/// </summary>
public sealed class Length(int[]? inputShape = null, string? name = null) : SingleInputLayer(name, inputShape)
{
    /// <inheritdoc/>
    protected override int[] ComputeOutputShape(int[] s) =>
        s.Length == 2 ? [s[0]] : throw LayerShapeException.For(this, "capsules (capsules, dim)", s);

    /// <inheritdoc/>
    protected override Tensor Forward(Tensor x, bool training) => x.VectorNorm(-1);

    internal static Length FromConfig(JsonObject c) => new(Json.OptionalIntArray(c, "input_shape"), Json.OptionalString(c, "name"));
}
