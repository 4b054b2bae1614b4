using System.Text.Json.Nodes;
using Trilobite.Serialization;

namespace Trilobite.Layers;

/// <summary>Shared by the global poolings: (N, H, W, C) → (N, C), or (N, 1, 1, C) with <see cref="KeepDims"/>, as Keras.</summary>
public abstract class GlobalPooling2D(bool keepDims, int[]? inputShape, string? name) : SingleInputLayer(name, inputShape)
{
    /// <summary>Keep the pooled axes as size 1 (Keras's keepdims).</summary>
    public bool KeepDims { get; } = keepDims;

    /// <summary>(H, W, C) → (C), or (1, 1, C) with <see cref="KeepDims"/>; throws <see cref="LayerShapeException"/> for an input that is not 3-D.</summary>
    protected sealed override int[] ComputeOutputShape(int[] s) =>
        s.Length != 3 ? throw LayerShapeException.For(this, "a 3-D input (height, width, channels)", s) : KeepDims ? [1, 1, s[2]] : [s[2]];

    /// <summary><see cref="Pool"/>, reshaped to (N, 1, 1, C) with <see cref="KeepDims"/>.</summary>
    protected sealed override Tensor Forward(Tensor x, bool training)
    {
        var pooled = Pool(x);
        return KeepDims ? pooled.Reshape(x.Dim(0), 1, 1, x.Dim(3)) : pooled;
    }

    /// <summary>(N, H, W, C) → (N, C).</summary>
    protected abstract Tensor Pool(Tensor x);

    /// <inheritdoc/>
    public override JsonObject GetConfig()
    {
        var c = base.GetConfig();
        c["data_format"] = "channels_last";
        c["keepdims"] = KeepDims;
        return c;
    }
}

/// <summary>Averages each channel over the whole map: ResNet's head.</summary>
public sealed class GlobalAveragePooling2D(int[]? inputShape = null, string? name = null, bool keepDims = false) : GlobalPooling2D(keepDims, inputShape, name)
{
    /// <summary>The mean of each channel over H and W.</summary>
    protected override Tensor Pool(Tensor x) => x.GlobalAvgPool2D();

    internal static GlobalAveragePooling2D FromConfig(JsonObject c) =>
        new(Json.OptionalIntArray(c, "input_shape"), Json.OptionalString(c, "name"), Json.Bool(c, "keepdims", false));
}

/// <summary>Takes each channel's maximum over the whole map (NaN wins, as in max pooling).</summary>
public sealed class GlobalMaxPooling2D(int[]? inputShape = null, string? name = null, bool keepDims = false) : GlobalPooling2D(keepDims, inputShape, name)
{
    /// <summary>The maximum of each channel over H and W.</summary>
    protected override Tensor Pool(Tensor x) => x.GlobalMaxPool2D();

    internal static GlobalMaxPooling2D FromConfig(JsonObject c) =>
        new(Json.OptionalIntArray(c, "input_shape"), Json.OptionalString(c, "name"), Json.Bool(c, "keepdims", false));
}
