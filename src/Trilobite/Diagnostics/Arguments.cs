namespace Trilobite;

/// <summary>
/// The checks constructors of layers and optimizers share, so one that cannot work is refused where it is made (in code
/// or from a file) with one line naming its type, the argument and what it accepts, never later inside a kernel.
/// </summary>
internal static class Arguments
{
    /// <summary>Longest layer name accepted.</summary>
    public const int MaxNameLength = 128;

    public static int AtLeast(string owner, string argument, int value, int minimum) =>
        value >= minimum ? value : throw new ArgumentException($"{owner}: {argument} must be at least {minimum}, got {value}.");

    public static (int H, int W) AtLeast(string owner, string argument, (int H, int W) value, int minimum) =>
        value.H >= minimum && value.W >= minimum ? value
            : throw new ArgumentException($"{owner}: {argument} must be at least {minimum} in both directions, got ({value.H}, {value.W}).");

    /// <summary>A value in [min, max] (or [min, max) when <paramref name="maxInclusive"/> is false); NaN is refused.</summary>
    public static double InRange(string owner, string argument, double value, double min, double max, bool maxInclusive = true) =>
        value >= min && (maxInclusive ? value <= max : value < max) ? value
            : throw new ArgumentException($"{owner}: {argument} must be in [{min}, {max}{(maxInclusive ? "]" : ")")}, got {value}.");

    public static double Positive(string owner, string argument, double value) =>
        value > 0 && double.IsFinite(value) ? value : throw new ArgumentException($"{owner}: {argument} must be a positive number, got {value}.");

    /// <summary>
    /// Layer names are identifiers: 1–128 letters, digits, '_', '-' or '.'. '/' separates a layer from its weight in saved
    /// files ("conv2d_1/kernel"), and the names appear in summaries and web pages.
    /// </summary>
    public static string Name(string name)
    {
        if (name.Length is >= 1 and <= MaxNameLength && name.All(c => char.IsAsciiLetterOrDigit(c) || c is '_' or '-' or '.'))
            return name;
        throw new ArgumentException($"Layer name '{Excerpt.Of(name)}' is not an identifier: use 1 to {MaxNameLength} letters, digits, '_', '-' or '.'.");
    }

    /// <summary>An input shape without the batch axis: at least one dimension, all positive.</summary>
    public static int[] Shape(string owner, int[] shape) =>
        shape.Length > 0 && shape.All(d => d >= 1) ? (int[])shape.Clone()
            : throw new ArgumentException($"{owner}: an input shape needs positive dimensions, got {ShapeText.Of(shape)}.");
}
