using System.Text.Json.Nodes;
using Trilobite.Serialization;

namespace Trilobite.Layers;

/// <summary>
/// Shared configuration of the 2-D pooling layers: pool size (rows, columns), strides (default: the pool size) and padding,
/// as Keras; or explicit pads (top, bottom, left, right) that no window counts, as PyTorch and ONNX pad (imported models).
/// </summary>
public abstract class Pooling2D : SingleInputLayer
{
    /// <summary>Stores the configuration; <paramref name="strides"/> defaults to the pool size. Throws <see cref="ArgumentOutOfRangeException"/> for a pool size or stride below 1.</summary>
    protected Pooling2D((int H, int W) poolSize, (int H, int W)? strides, Padding padding, int[]? inputShape, string? name,
        (int Top, int Bottom, int Left, int Right)? explicitPadding = null) : base(name, inputShape)
    {
        if (explicitPadding is { } p && (padding != Padding.Valid || p.Top < 0 || p.Bottom < 0 || p.Left < 0 || p.Right < 0 || Math.Max(p.Top, p.Bottom) >= poolSize.H || Math.Max(p.Left, p.Right) >= poolSize.W))
            throw new ArgumentException($"{TypeName}: explicit padding ({p.Top}, {p.Bottom}, {p.Left}, {p.Right}) goes with padding 'valid', each pad at least 0 and smaller than the window.");
        ExplicitPadding = explicitPadding;
        var s = strides ?? poolSize;
        if (poolSize.H < 1 || poolSize.W < 1 || s.H < 1 || s.W < 1)
            throw new ArgumentOutOfRangeException(nameof(poolSize), $"{TypeName}: pool size ({poolSize.H}, {poolSize.W}) and strides ({s.H}, {s.W}) must be at least 1.");
        PoolSize = poolSize;
        Strides = s;
        Padding = padding;
    }

    /// <summary>The window's height and width.</summary>
    public (int H, int W) PoolSize { get; }
    /// <summary>The step between windows along height and width (the pool size unless given).</summary>
    public (int H, int W) Strides { get; }
    /// <summary>Valid (windows inside the input) or Same (output ⌈input / stride⌉).</summary>
    public Padding Padding { get; }

    /// <summary>Pads (top, bottom, left, right) around the input that windows may cover but never count, or null for Keras's modes.</summary>
    public (int Top, int Bottom, int Left, int Right)? ExplicitPadding { get; }

    /// <summary>(H, W, C) → (OH, OW, C); throws <see cref="LayerShapeException"/> for an input that is not 3-D or is smaller than the window.</summary>
    protected override int[] ComputeOutputShape(int[] s)
    {
        if (s.Length != 3) throw LayerShapeException.For(this, "a 3-D input (height, width, channels)", s);
        var p = ExplicitPadding ?? (0, 0, 0, 0);
        var (oh, _) = Kernels.Conv2DGeometry.Axis(s[0] + p.Top + p.Bottom, PoolSize.H, Strides.H, 1, Padding == Padding.Same);
        var (ow, _) = Kernels.Conv2DGeometry.Axis(s[1] + p.Left + p.Right, PoolSize.W, Strides.W, 1, Padding == Padding.Same);
        if (oh < 1 || ow < 1) throw LayerShapeException.For(this, $"an input at least {PoolSize.H}×{PoolSize.W}", s);
        return [oh, ow, s[2]];
    }

    /// <inheritdoc/>
    public override JsonObject GetConfig()
    {
        var c = base.GetConfig();
        c["pool_size"] = Json.Array([PoolSize.H, PoolSize.W]);
        c["strides"] = Json.Array([Strides.H, Strides.W]);
        c["padding"] = LayerConfig.Name(Padding);
        if (ExplicitPadding is var (t, b, l, r)) c["explicit_padding"] = Json.Array([t, b, l, r]);
        return c;
    }

    /// <summary>Keras writes pool_size and strides as pairs (an int for both also reads); strides may be null (= the pool size).</summary>
    protected static ((int H, int W) Pool, (int H, int W)? Strides, (int, int, int, int)? Pads) Read(JsonObject c)
    {
        var pool = LayerConfig.Pair(c, "pool_size") ?? throw new InvalidDataException("A pooling layer's config needs 'pool_size'.");
        int[]? pads = Json.OptionalIntArray(c, "explicit_padding");
        if (pads is not (null or { Length: 4 })) throw new InvalidDataException("A pooling layer's 'explicit_padding' needs four values: top, bottom, left, right.");
        return (pool, LayerConfig.Pair(c, "strides"), pads is [int t, int b, int l, int r] ? (t, b, l, r) : null);
    }
}

/// <summary>Max pooling, Keras defaults: strides = pool size, 'valid'. <code>new MaxPooling2D(poolSize: 2)</code> or <c>new MaxPooling2D((2, 3))</c></summary>
public sealed class MaxPooling2D : Pooling2D
{
    /// <summary>A square window and stride (Keras's single-integer form); <paramref name="strides"/> defaults to the pool size.</summary>
    public MaxPooling2D(int poolSize = 2, int? strides = null, Padding padding = Padding.Valid, int[]? inputShape = null, string? name = null)
        : base((poolSize, poolSize), strides is int s ? (s, s) : null, padding, inputShape, name) { }

    /// <summary>A (rows, columns) window and stride; <paramref name="strides"/> defaults to the pool size.</summary>
    public MaxPooling2D((int H, int W) poolSize, (int H, int W)? strides = null, Padding padding = Padding.Valid, int[]? inputShape = null, string? name = null,
        (int Top, int Bottom, int Left, int Right)? explicitPadding = null)
        : base(poolSize, strides, padding, inputShape, name, explicitPadding) { }

    /// <summary>The maximum of each window, per channel (padding never wins).</summary>
    protected override Tensor Forward(Tensor x, bool training) =>
        ExplicitPadding is { } p ? x.MaxPool2D(PoolSize, Strides, p) : x.MaxPool2D(PoolSize, Strides, Padding);

    internal static MaxPooling2D FromConfig(JsonObject c)
    {
        var (pool, strides, pads) = Read(c);
        return new(pool, strides, LayerConfig.Padding(c), Json.OptionalIntArray(c, "input_shape"), Json.OptionalString(c, "name"), pads);
    }
}

/// <summary>Average pooling (LeNet-5's subsampling); padding is not counted in the mean.</summary>
public sealed class AveragePooling2D : Pooling2D
{
    /// <summary>A square window and stride (Keras's single-integer form); <paramref name="strides"/> defaults to the pool size.</summary>
    public AveragePooling2D(int poolSize = 2, int? strides = null, Padding padding = Padding.Valid, int[]? inputShape = null, string? name = null)
        : base((poolSize, poolSize), strides is int s ? (s, s) : null, padding, inputShape, name) { }

    /// <summary>A (rows, columns) window and stride; <paramref name="strides"/> defaults to the pool size.</summary>
    public AveragePooling2D((int H, int W) poolSize, (int H, int W)? strides = null, Padding padding = Padding.Valid, int[]? inputShape = null, string? name = null,
        (int Top, int Bottom, int Left, int Right)? explicitPadding = null)
        : base(poolSize, strides, padding, inputShape, name, explicitPadding) { }

    /// <summary>The mean of each window, per channel, over the values inside the input only.</summary>
    protected override Tensor Forward(Tensor x, bool training) =>
        ExplicitPadding is { } p ? x.AvgPool2D(PoolSize, Strides, p) : x.AvgPool2D(PoolSize, Strides, Padding);

    internal static AveragePooling2D FromConfig(JsonObject c)
    {
        var (pool, strides, pads) = Read(c);
        return new(pool, strides, LayerConfig.Padding(c), Json.OptionalIntArray(c, "input_shape"), Json.OptionalString(c, "name"), pads);
    }
}
