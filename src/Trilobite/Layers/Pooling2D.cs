using System.Text.Json.Nodes;
using Trilobite.Serialization;

namespace Trilobite.Layers;

/// <summary>Shared configuration of the 2-D pooling layers: pool size, strides (default: the pool size) and padding.</summary>
public abstract class Pooling2D : SingleInputLayer
{
    protected Pooling2D(int poolSize, int? strides, Padding padding, int[]? inputShape, string? name) : base(name, inputShape)
    {
        if (poolSize < 1 || strides < 1) throw new ArgumentOutOfRangeException(nameof(poolSize), $"Pool size {poolSize} and strides {strides} must be at least 1.");
        PoolSize = poolSize;
        Strides = strides ?? poolSize;
        Padding = padding;
    }

    public int PoolSize { get; }
    public int Strides { get; }
    public Padding Padding { get; }

    protected override int[] ComputeOutputShape(int[] s)
    {
        if (s.Length != 3) throw LayerShapeException.For(this, "a 3-D input (height, width, channels)", s);
        var (oh, _) = Kernels.Conv2DGeometry.Axis(s[0], PoolSize, Strides, 1, Padding == Padding.Same);
        var (ow, _) = Kernels.Conv2DGeometry.Axis(s[1], PoolSize, Strides, 1, Padding == Padding.Same);
        if (oh < 1 || ow < 1) throw LayerShapeException.For(this, $"an input at least {PoolSize}×{PoolSize}", s);
        return [oh, ow, s[2]];
    }

    public override JsonObject GetConfig()
    {
        var c = base.GetConfig();
        c["pool_size"] = Json.Array([PoolSize, PoolSize]);
        c["strides"] = Json.Array([Strides, Strides]);
        c["padding"] = LayerConfig.Name(Padding);
        return c;
    }

    protected static (int Pool, int Strides) Read(JsonObject c) => (Json.IntArray(c, "pool_size")[0], Json.IntArray(c, "strides")[0]);
}

/// <summary>Max pooling, Keras defaults: strides = pool size, 'valid'. <code>new MaxPooling2D(poolSize: 2)</code></summary>
public sealed class MaxPooling2D(int poolSize = 2, int? strides = null, Padding padding = Padding.Valid, int[]? inputShape = null, string? name = null)
    : Pooling2D(poolSize, strides, padding, inputShape, name)
{
    protected override Tensor Forward(Tensor x, bool training) => x.MaxPool2D(PoolSize, Strides, Padding);

    internal static MaxPooling2D FromConfig(JsonObject c)
    {
        var (pool, strides) = Read(c);
        return new(pool, strides, LayerConfig.Padding(c), Json.OptionalIntArray(c, "input_shape"), Json.OptionalString(c, "name"));
    }
}

/// <summary>Average pooling (LeNet-5's subsampling); padding is not counted in the mean.</summary>
public sealed class AveragePooling2D(int poolSize = 2, int? strides = null, Padding padding = Padding.Valid, int[]? inputShape = null, string? name = null)
    : Pooling2D(poolSize, strides, padding, inputShape, name)
{
    protected override Tensor Forward(Tensor x, bool training) => x.AvgPool2D(PoolSize, Strides, Padding);

    internal static AveragePooling2D FromConfig(JsonObject c)
    {
        var (pool, strides) = Read(c);
        return new(pool, strides, LayerConfig.Padding(c), Json.OptionalIntArray(c, "input_shape"), Json.OptionalString(c, "name"));
    }
}
