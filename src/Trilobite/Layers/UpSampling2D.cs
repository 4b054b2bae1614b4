using System.Text.Json.Nodes;
using Trilobite.Serialization;

namespace Trilobite.Layers;

/// <summary>
/// Keras's UpSampling2D: "nearest" (the default) repeats each pixel of (N, H, W, C) into a (rows × columns) block, the
/// top-down path of a feature pyramid; "bilinear" blends the four nearest pixels with half-pixel centres, as Keras
/// (TensorFlow's resize) and PyTorch's <c>align_corners=False</c> do. <code>new UpSampling2D((2, 2), "bilinear")</code>
/// Beyond Keras, <see cref="ToSize"/> resizes to a given height and width by nearest neighbour (PyTorch's
/// <c>interpolate(size=…)</c>), for a feature pyramid whose levels are not exact multiples (odd sizes).
/// </summary>
public sealed class UpSampling2D : SingleInputLayer
{
    /// <summary>The same factor for rows and columns.</summary>
    public UpSampling2D(int size = 2, int[]? inputShape = null, string? name = null) : this((size, size), "nearest", inputShape, name) { }

    /// <summary>
    /// Upsamples by <paramref name="size"/> along rows and columns. Throws <see cref="ArgumentOutOfRangeException"/>
    /// for a factor below 1 and <see cref="ArgumentException"/> for an interpolation other than "nearest" or "bilinear".
    /// </summary>
    public UpSampling2D((int Rows, int Columns) size, string interpolation = "nearest", int[]? inputShape = null, string? name = null) : base(name, inputShape)
    {
        if (size.Rows < 1 || size.Columns < 1)
            throw new ArgumentOutOfRangeException(nameof(size), $"UpSampling2D: size must be positive, got ({size.Rows}, {size.Columns}).");
        if (interpolation is not ("nearest" or "bilinear"))
            throw new ArgumentException($"UpSampling2D: interpolation '{Excerpt.Of(interpolation)}' is not supported; Trilobite has 'nearest' (Keras's default) and 'bilinear'.", nameof(interpolation));
        Size = size;
        Interpolation = interpolation;
    }

    /// <summary>
    /// Nearest-neighbour resize to <paramref name="height"/> × <paramref name="width"/> whatever the input's size: output
    /// row i takes input row ⌊i · H / height⌋ (PyTorch's rule; for whole factors the same as UpSampling2D). Throws
    /// <see cref="ArgumentOutOfRangeException"/> for a size below 1.
    /// </summary>
    public static UpSampling2D ToSize(int height, int width, int[]? inputShape = null, string? name = null)
    {
        if (height < 1 || width < 1)
            throw new ArgumentOutOfRangeException(nameof(height), $"UpSampling2D: the target size must be positive, got ({height}, {width}).");
        return new UpSampling2D((1, 1), "nearest", inputShape, name) { TargetSize = (height, width) };
    }

    /// <summary>The fixed output height and width of <see cref="ToSize"/>, or null for factors.</summary>
    public (int Height, int Width)? TargetSize { get; private init; }

    /// <summary>The upsampling factors along height and width.</summary>
    public (int Rows, int Columns) Size { get; }

    /// <summary>"nearest" or "bilinear".</summary>
    public string Interpolation { get; }

    /// <summary>(H, W, C) → (H·rows, W·columns, C); throws <see cref="LayerShapeException"/> for an input that is not 3-D or would overflow.</summary>
    protected override int[] ComputeOutputShape(int[] s)
    {
        if (s.Length != 3) throw LayerShapeException.For(this, "a 3-D input (height, width, channels)", s);
        if (TargetSize is var (h, w)) return [h, w, s[2]];
        if ((long)s[0] * Size.Rows > int.MaxValue || (long)s[1] * Size.Columns > int.MaxValue)
            throw LayerShapeException.For(this, $"an input that stays indexable when upsampled by {Size.Rows}×{Size.Columns}", s);
        return [s[0] * Size.Rows, s[1] * Size.Columns, s[2]];
    }

    /// <summary>Each pixel repeated into a rows × columns block, or the bilinear blend.</summary>
    protected override Tensor Forward(Tensor x, bool training) =>
        TargetSize is var (h, w) ? x.ResizeNearest(h, w)
        : Interpolation == "bilinear" ? x.UpSample2DBilinear(Size.Rows, Size.Columns) : x.UpSample2D(Size.Rows, Size.Columns);

    /// <inheritdoc/>
    public override JsonObject GetConfig()
    {
        var c = base.GetConfig();
        c["size"] = Json.Array([Size.Rows, Size.Columns]);
        c["data_format"] = "channels_last";
        c["interpolation"] = Interpolation;
        if (TargetSize is var (h, w)) c["target_size"] = Json.Array([h, w]);
        return c;
    }

    internal static UpSampling2D FromConfig(JsonObject c)
    {
        int[] size = Json.IntArray(c, "size");
        if (size.Length != 2) throw new InvalidDataException($"UpSampling2D: 'size' must hold two numbers, got {size.Length}.");
        if (Json.OptionalString(c, "data_format") is { } format && format != "channels_last")
            throw new InvalidDataException($"UpSampling2D: data_format '{Excerpt.Of(format)}' is not supported; Trilobite is channels_last.");
        if (Json.OptionalIntArray(c, "target_size") is { } target)
        {
            if (target.Length != 2) throw new InvalidDataException($"UpSampling2D: 'target_size' must hold two numbers, got {target.Length}.");
            return ToSize(target[0], target[1], Json.OptionalIntArray(c, "input_shape"), Json.OptionalString(c, "name"));
        }
        return new UpSampling2D((size[0], size[1]), Json.OptionalString(c, "interpolation") ?? "nearest", Json.OptionalIntArray(c, "input_shape"), Json.OptionalString(c, "name"));
    }
}
