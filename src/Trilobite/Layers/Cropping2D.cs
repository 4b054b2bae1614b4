using System.Text.Json.Nodes;
using Trilobite.Serialization;

namespace Trilobite.Layers;

/// <summary>
/// Cuts rows and columns off each image, as Keras's Cropping2D: ((top, bottom), (left, right)). U-Net's paper version
/// crops the contracting path's maps to the expanding path's size before concatenating them: <see cref="CenterCropTo"/>.
/// </summary>
public sealed class Cropping2D : SingleInputLayer
{
    /// <summary>The same number of rows and columns off all four sides.</summary>
    public Cropping2D(int cropping = 0, int[]? inputShape = null, string? name = null) : this((cropping, cropping, cropping, cropping), inputShape, name) { }

    /// <summary>Rows off the top and bottom, columns off the left and right; throws <see cref="ArgumentOutOfRangeException"/> for a negative amount.</summary>
    public Cropping2D((int Top, int Bottom, int Left, int Right) cropping, int[]? inputShape = null, string? name = null) : base(name, inputShape)
    {
        if (cropping.Top < 0 || cropping.Bottom < 0 || cropping.Left < 0 || cropping.Right < 0)
            throw new ArgumentOutOfRangeException(nameof(cropping), $"Cropping2D: cropping must be non-negative, got {cropping}.");
        Crop = cropping;
    }

    /// <summary>The rows (top, bottom) and columns (left, right) cut off.</summary>
    public (int Top, int Bottom, int Left, int Right) Crop { get; }

    /// <summary>
    /// <paramref name="x"/> cropped around its centre to the height and width of <paramref name="target"/>, as the U-Net
    /// paper's skip connections: with d = size − target, ⌊d/2⌋ off the top (left) and the rest off the bottom (right),
    /// which is what torchvision's <c>center_crop</c> does. Throws <see cref="LayerShapeException"/> when x is smaller.
    /// </summary>
    public static SymbolicTensor CenterCropTo(SymbolicTensor x, SymbolicTensor target, string? name = null)
    {
        ArgumentNullException.ThrowIfNull(x);
        ArgumentNullException.ThrowIfNull(target);
        if (x.Shape.Length != 3 || target.Shape.Length != 3)
            throw new ArgumentException($"CenterCropTo needs two (height, width, channels) maps, got {ShapeText.Of(x.Shape)} and {ShapeText.Of(target.Shape)}.");
        int dh = x.Shape[0] - target.Shape[0], dw = x.Shape[1] - target.Shape[1];
        if (dh < 0 || dw < 0)
            throw new ArgumentException($"CenterCropTo: {ShapeText.Of(x.Shape)} is smaller than the target {ShapeText.Of(target.Shape)}; only a larger map can be cropped to it.");
        return new Cropping2D((dh / 2, dh - dh / 2, dw / 2, dw - dw / 2), name: name).Call(x);
    }

    /// <summary>(H, W, C) → (H − top − bottom, W − left − right, C); throws <see cref="LayerShapeException"/> for an input that is not 3-D or that nothing would be left of.</summary>
    protected override int[] ComputeOutputShape(int[] s)
    {
        if (s.Length != 3) throw LayerShapeException.For(this, "a 3-D input (height, width, channels)", s);
        int h = s[0] - Crop.Top - Crop.Bottom, w = s[1] - Crop.Left - Crop.Right;
        if (h < 1 || w < 1)
            throw LayerShapeException.For(this, $"an input larger than the cropping ({Crop.Top}+{Crop.Bottom} rows, {Crop.Left}+{Crop.Right} columns)", s);
        return [h, w, s[2]];
    }

    /// <summary>Each image without the rows and columns of <see cref="Crop"/>.</summary>
    protected override Tensor Forward(Tensor x, bool training) => x.Crop2D(Crop.Top, Crop.Bottom, Crop.Left, Crop.Right);

    /// <summary>As Keras: <c>cropping</c> is written ((top, bottom), (left, right)).</summary>
    public override JsonObject GetConfig()
    {
        var c = base.GetConfig();
        c["cropping"] = new JsonArray(Json.Array([Crop.Top, Crop.Bottom]), Json.Array([Crop.Left, Crop.Right]));
        c["data_format"] = "channels_last";
        return c;
    }

    internal static Cropping2D FromConfig(JsonObject c)
    {
        if (Json.Required(c, "cropping") is not JsonArray { Count: 2 } p || p[0] is not JsonArray { Count: 2 } h || p[1] is not JsonArray { Count: 2 } w)
            throw Json.Wrong("cropping", "[[top, bottom], [left, right]]", c["cropping"]);
        if (Json.OptionalString(c, "data_format") is { } format && format != "channels_last")
            throw new InvalidDataException($"Cropping2D: data_format '{Excerpt.Of(format)}' is not supported; Trilobite is channels_last.");
        return new((Json.AsInt(h[0], "cropping"), Json.AsInt(h[1], "cropping"), Json.AsInt(w[0], "cropping"), Json.AsInt(w[1], "cropping")),
            Json.OptionalIntArray(c, "input_shape"), Json.OptionalString(c, "name"));
    }
}
