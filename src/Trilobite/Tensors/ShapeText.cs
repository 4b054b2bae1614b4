namespace Trilobite;

/// <summary>Formats shapes the way error messages and summaries print them: (8, 28, 28, 1).</summary>
public static class ShapeText
{
    public static string Of(ReadOnlySpan<int> shape) => shape.Length == 1 ? $"({shape[0]},)" : "(" + string.Join(", ", shape.ToArray()) + ")";

    /// <summary>A batch shape with the batch dimension shown as None, as Keras prints it.</summary>
    public static string WithBatch(ReadOnlySpan<int> shape) => "(None" + string.Concat(shape.ToArray().Select(d => ", " + d)) + ")";
}
