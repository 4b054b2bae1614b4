using System.Text.Json.Nodes;
using Trilobite.Serialization;

namespace Trilobite.Layers;

/// <summary>
/// Repeats each pixel of (N, H, W, C) into a (rows × columns) block, as Keras's UpSampling2D with its default
/// interpolation "nearest": the top-down path of a feature pyramid. <code>new UpSampling2D(2)</code>
/// </summary>
public sealed class UpSampling2D : SingleInputLayer
{
    /// <summary>The same factor for rows and columns.</summary>
    public UpSampling2D(int size = 2, int[]? inputShape = null, string? name = null) : this((size, size), "nearest", inputShape, name) { }

    /// <summary>
    /// Repeats each pixel <paramref name="size"/> times along rows and columns. Throws <see cref="ArgumentOutOfRangeException"/>
    /// for a factor below 1 and <see cref="ArgumentException"/> for an interpolation other than "nearest".
    /// </summary>
    public UpSampling2D((int Rows, int Columns) size, string interpolation = "nearest", int[]? inputShape = null, string? name = null) : base(name, inputShape)
    {
        if (size.Rows < 1 || size.Columns < 1)
            throw new ArgumentOutOfRangeException(nameof(size), $"UpSampling2D: size must be positive, got ({size.Rows}, {size.Columns}).");
        if (interpolation != "nearest")
            throw new ArgumentException($"UpSampling2D: interpolation '{Excerpt.Of(interpolation)}' is not supported; Trilobite has 'nearest' (Keras's default).", nameof(interpolation));
        Size = size;
    }

    /// <summary>The upsampling factors along height and width.</summary>
    public (int Rows, int Columns) Size { get; }

    /// <summary>(H, W, C) → (H·rows, W·columns, C); throws <see cref="LayerShapeException"/> for an input that is not 3-D or would overflow.</summary>
    protected override int[] ComputeOutputShape(int[] s)
    {
        if (s.Length != 3) throw LayerShapeException.For(this, "a 3-D input (height, width, channels)", s);
        if ((long)s[0] * Size.Rows > int.MaxValue || (long)s[1] * Size.Columns > int.MaxValue)
            throw LayerShapeException.For(this, $"an input that stays indexable when upsampled by {Size.Rows}×{Size.Columns}", s);
        return [s[0] * Size.Rows, s[1] * Size.Columns, s[2]];
    }

    /// <summary>Nearest-neighbour: each pixel repeated into a rows × columns block.</summary>
    protected override Tensor Forward(Tensor x, bool training) => x.UpSample2D(Size.Rows, Size.Columns);

    /// <inheritdoc/>
    public override JsonObject GetConfig()
    {
        var c = base.GetConfig();
        c["size"] = Json.Array([Size.Rows, Size.Columns]);
        c["data_format"] = "channels_last";
        c["interpolation"] = "nearest";
        return c;
    }

    internal static UpSampling2D FromConfig(JsonObject c)
    {
        int[] size = Json.IntArray(c, "size");
        if (size.Length != 2) throw new InvalidDataException($"UpSampling2D: 'size' must hold two numbers, got {size.Length}.");
        if (Json.OptionalString(c, "data_format") is { } format && format != "channels_last")
            throw new InvalidDataException($"UpSampling2D: data_format '{Excerpt.Of(format)}' is not supported; Trilobite is channels_last.");
        return new UpSampling2D((size[0], size[1]), Json.OptionalString(c, "interpolation") ?? "nearest", Json.OptionalIntArray(c, "input_shape"), Json.OptionalString(c, "name"));
    }
}
