namespace Trilobite;

/// <summary>Formats shapes the way error messages and summaries print them: (8, 28, 28, 1).</summary>
public static class ShapeText
{
    /// <summary>Longest shape written out in full; a longer one (only a hostile file has one) ends in "…".</summary>
    private const int MaxShown = 8;

    /// <summary>(8, 28, 28, 1): a 1-D shape as (n,), a scalar's as (), one of more than 8 dimensions cut short with "…".</summary>
    public static string Of(ReadOnlySpan<int> shape) => shape.Length switch
    {
        1 => $"({shape[0]},)",
        > MaxShown => "(" + string.Join(", ", shape[..MaxShown].ToArray()) + ", … " + shape.Length + " dimensions)",
        _ => "(" + string.Join(", ", shape.ToArray()) + ")",
    };

    /// <summary>A batch shape with the batch dimension shown as None, as Keras prints it.</summary>
    public static string WithBatch(ReadOnlySpan<int> shape) => "(None" + string.Concat(shape.ToArray().Select(d => ", " + d)) + ")";
}
