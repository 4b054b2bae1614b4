using System.Text.Json.Nodes;
using Trilobite.Serialization;

namespace Trilobite.Layers;

/// <summary>
/// Channels [start, start + count) of the last axis: one part of an ONNX Split (an imported RGB → BGR swap, say), the
/// counterpart of <see cref="Concatenate"/>. Differentiable. <code>new ChannelSlice(0, 1)   // the red plane of an RGB image</code>
/// </summary>
public sealed class ChannelSlice : SingleInputLayer
{
    /// <summary>Throws <see cref="ArgumentOutOfRangeException"/> for a negative start or a count below 1.</summary>
    public ChannelSlice(int start, int count, int[]? inputShape = null, string? name = null) : base(name, inputShape)
    {
        if (start < 0) throw new ArgumentOutOfRangeException(nameof(start), $"ChannelSlice: start must be at least 0, got {start}.");
        if (count < 1) throw new ArgumentOutOfRangeException(nameof(count), $"ChannelSlice: count must be at least 1, got {count}.");
        Start = start;
        Count = count;
    }

    /// <summary>The first channel kept.</summary>
    public int Start { get; }

    /// <summary>How many channels are kept.</summary>
    public int Count { get; }

    /// <summary>The input's shape with <see cref="Count"/> channels; throws <see cref="LayerShapeException"/> when the band passes the last axis.</summary>
    protected override int[] ComputeOutputShape(int[] s)
    {
        if (s.Length == 0 || (long)Start + Count > s[^1]) throw LayerShapeException.For(this, $"an input with at least {(long)Start + Count} channels", s);
        return [.. s[..^1], Count];
    }

    /// <inheritdoc/>
    protected override Tensor Forward(Tensor x, bool training) => x.Columns(Start, Count);

    /// <inheritdoc/>
    public override JsonObject GetConfig()
    {
        var c = base.GetConfig();
        c["start"] = Start;
        c["count"] = Count;
        return c;
    }

    internal static ChannelSlice FromConfig(JsonObject c) =>
        new(Json.Int(c, "start"), Json.Int(c, "count"), Json.OptionalIntArray(c, "input_shape"), Json.OptionalString(c, "name"));
}
