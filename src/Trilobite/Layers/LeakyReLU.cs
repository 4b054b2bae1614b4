using System.Text.Json.Nodes;
using Trilobite.Serialization;

namespace Trilobite.Layers;

/// <summary>
/// x for x &gt; 0, negative_slope·x otherwise, with any slope (Keras's <c>LeakyReLU</c> layer, default 0.3; the
/// <see cref="Activation.LeakyReLU"/> activation is Keras's <c>leaky_relu</c> function with 0.2).
/// <code>new LeakyReLU(0.1)</code>
/// </summary>
public sealed class LeakyReLU : SingleInputLayer
{
    /// <summary>Throws <see cref="ArgumentOutOfRangeException"/> for a slope that is negative or not finite.</summary>
    public LeakyReLU(double negativeSlope = 0.3, int[]? inputShape = null, string? name = null) : base(name, inputShape)
    {
        if (!(negativeSlope >= 0) || double.IsInfinity(negativeSlope))
            throw new ArgumentOutOfRangeException(nameof(negativeSlope), $"LeakyReLU: negative_slope must be a finite number of at least 0, got {negativeSlope}.");
        NegativeSlope = negativeSlope;
    }

    /// <summary>The factor applied to negative inputs.</summary>
    public double NegativeSlope { get; }

    /// <inheritdoc/>
    protected override int[] ComputeOutputShape(int[] s) => s;

    /// <inheritdoc/>
    protected override Tensor Forward(Tensor x, bool training) => x.LeakyRelu((float)NegativeSlope);

    /// <inheritdoc/>
    public override JsonObject GetConfig()
    {
        var c = base.GetConfig();
        c["negative_slope"] = NegativeSlope;
        return c;
    }

    internal static LeakyReLU FromConfig(JsonObject c) => new(Json.Double(c, "negative_slope"), Json.OptionalIntArray(c, "input_shape"), Json.OptionalString(c, "name"));
}
