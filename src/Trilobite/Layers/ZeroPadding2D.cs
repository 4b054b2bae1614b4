using System.Text.Json.Nodes;
using Trilobite.Serialization;

namespace Trilobite.Layers;

/// <summary>Adds rows and columns of zeros around each image: (top, bottom, left, right).</summary>
public sealed class ZeroPadding2D : SingleInputLayer
{
    /// <summary>The same number of zero rows and columns on all four sides.</summary>
    public ZeroPadding2D(int padding = 1, int[]? inputShape = null, string? name = null) : this((padding, padding, padding, padding), inputShape, name) { }

    /// <summary>Zero rows above and below, zero columns left and right; throws <see cref="ArgumentOutOfRangeException"/> for a negative amount.</summary>
    public ZeroPadding2D((int Top, int Bottom, int Left, int Right) padding, int[]? inputShape = null, string? name = null) : base(name, inputShape)
    {
        if (padding.Top < 0 || padding.Bottom < 0 || padding.Left < 0 || padding.Right < 0)
            throw new ArgumentOutOfRangeException(nameof(padding), $"Padding must be non-negative, got {padding}.");
        Pad = padding;
    }

    /// <summary>The zero rows (top, bottom) and columns (left, right) added.</summary>
    public (int Top, int Bottom, int Left, int Right) Pad { get; }

    /// <summary>(H, W, C) → (H + top + bottom, W + left + right, C); throws <see cref="LayerShapeException"/> for an input that is not 3-D.</summary>
    protected override int[] ComputeOutputShape(int[] s) => s.Length == 3
        ? [s[0] + Pad.Top + Pad.Bottom, s[1] + Pad.Left + Pad.Right, s[2]]
        : throw LayerShapeException.For(this, "a 3-D input (height, width, channels)", s);

    /// <summary>Each image surrounded by the zero rows and columns of <see cref="Pad"/>.</summary>
    protected override Tensor Forward(Tensor x, bool training) => x.ZeroPad2D(Pad.Top, Pad.Bottom, Pad.Left, Pad.Right);

    /// <summary>As Keras: <c>padding</c> is written ((top, bottom), (left, right)).</summary>
    public override JsonObject GetConfig()
    {
        var c = base.GetConfig();
        c["padding"] = new JsonArray(Json.Array([Pad.Top, Pad.Bottom]), Json.Array([Pad.Left, Pad.Right]));
        return c;
    }

    internal static ZeroPadding2D FromConfig(JsonObject c)
    {
        // Keras writes ((top, bottom), (left, right)).
        if (Json.Required(c, "padding") is not JsonArray { Count: 2 } p || p[0] is not JsonArray { Count: 2 } h || p[1] is not JsonArray { Count: 2 } w)
            throw Json.Wrong("padding", "[[top, bottom], [left, right]]", c["padding"]);
        return new((Json.AsInt(h[0], "padding"), Json.AsInt(h[1], "padding"), Json.AsInt(w[0], "padding"), Json.AsInt(w[1], "padding")),
            Json.OptionalIntArray(c, "input_shape"), Json.OptionalString(c, "name"));
    }
}
