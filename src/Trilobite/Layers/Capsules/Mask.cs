using System.Text.Json.Nodes;
using Trilobite.Serialization;

namespace Trilobite.Layers;

/// <summary>
/// Keeps one capsule of (N, capsules, dim) and zeroes the others, flattened to (N, capsules·dim) for the reconstruction
/// decoder. In a graph it keeps the longest (the prediction, as at inference); training masks by the true class with
/// <see cref="ByLabels"/> instead (see <see cref="Zoo.CapsNet"/>), as the paper does.
/// </summary>
public sealed class Mask(int[]? inputShape = null, string? name = null) : SingleInputLayer(name, inputShape)
{
    /// <inheritdoc/>
    protected override int[] ComputeOutputShape(int[] s) =>
        s.Length == 2 ? [s[0] * s[1]] : throw LayerShapeException.For(this, "capsules (capsules, dim)", s);

    /// <inheritdoc/>
    protected override Tensor Forward(Tensor x, bool training) => Longest(x);

    /// <summary>Only the longest capsule of each sample kept (the first on ties), flattened.</summary>
    public static Tensor Longest(Tensor capsules) => Keep(capsules, Tensor.OneHot(capsules.VectorNorm(-1).ArgMax(-1), capsules.Dim(1)));

    /// <summary>Only the capsule of each sample's class kept, flattened; <paramref name="labels"/> are one-hot (N, capsules) or class indices (N).</summary>
    public static Tensor ByLabels(Tensor capsules, Tensor labels)
    {
        int n = capsules.Dim(0), classes = capsules.Dim(1);
        var oneHot = labels.Length == n * classes ? labels : Tensor.OneHot(labels, classes);
        if (oneHot.Length != n * classes)
            throw new ArgumentException($"Mask: {n} samples of {classes} capsules need labels of shape ({n}, {classes}) or ({n}), got {ShapeText.Of(labels.Shape)}.");
        return Keep(capsules, oneHot);
    }

    private static Tensor Keep(Tensor capsules, Tensor oneHot) =>
        (capsules * oneHot.Reshape(capsules.Dim(0), capsules.Dim(1), 1)).Reshape(capsules.Dim(0), capsules.Dim(1) * capsules.Dim(2));

    internal static Mask FromConfig(JsonObject c) => new(Json.OptionalIntArray(c, "input_shape"), Json.OptionalString(c, "name"));
}
