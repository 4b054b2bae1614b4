using System.Text.Json.Nodes;
using Trilobite.Serialization;

namespace Trilobite.Layers;

/// <summary>Reshapes each sample to <c>targetShape</c> (one dimension may be −1).</summary>
public sealed class Reshape : SingleInputLayer
{
    /// <summary>Reshapes each sample to <paramref name="targetShape"/> (without the batch axis); throws <see cref="ArgumentException"/> unless its dimensions are positive, with at most one −1.</summary>
    public Reshape(int[] targetShape, int[]? inputShape = null, string? name = null) : base(name, inputShape)
    {
        if (targetShape.Length == 0 || targetShape.Any(d => d < 1 && d != -1) || targetShape.Count(d => d == -1) > 1)
            throw new ArgumentException($"Reshape: target_shape needs positive dimensions (at most one -1 to infer), got {ShapeText.Of(targetShape)}.");
        TargetShape = (int[])targetShape.Clone();
    }

    /// <summary>The shape asked for, as given (−1 where a dimension is inferred).</summary>
    public int[] TargetShape { get; }

    /// <summary>The target shape with any −1 inferred; throws <see cref="LayerShapeException"/> when the value counts do not match.</summary>
    protected override int[] ComputeOutputShape(int[] s)
    {
        long total = s.Aggregate(1L, (a, b) => a * b);
        long known = TargetShape.Where(d => d != -1).Aggregate(1L, (a, b) => a * b);
        int[] result = (int[])TargetShape.Clone();
        int infer = Array.IndexOf(result, -1);
        if (infer >= 0 && total % known == 0 && total / known <= int.MaxValue) result[infer] = (int)(total / known);
        if (result.Aggregate(1L, (a, b) => a * b) != total || result.Any(d => d < 1))
            throw LayerShapeException.For(this, $"an input with as many values as target shape {ShapeText.Of(TargetShape)}", s);
        return result;
    }

    /// <summary>A reshape to (N, target shape); the values keep their order.</summary>
    protected override Tensor Forward(Tensor x, bool training) => x.Reshape([x.Dim(0), .. OutputShape]);

    /// <inheritdoc/>
    public override JsonObject GetConfig()
    {
        var c = base.GetConfig();
        c["target_shape"] = Json.Array(TargetShape);
        return c;
    }

    internal static Reshape FromConfig(JsonObject c) => new(Json.IntArray(c, "target_shape"), Json.OptionalIntArray(c, "input_shape"), Json.OptionalString(c, "name"));
}
