using System.Text.Json.Nodes;
using Trilobite.Serialization;

namespace Trilobite.Layers;

/// <summary>Inverted dropout while training (drops each value with probability <c>rate</c>, scales the rest by 1/(1 − rate)); identity at inference.</summary>
public sealed class Dropout : SingleInputLayer
{
    /// <summary>Drops with probability <paramref name="rate"/>; throws <see cref="ArgumentOutOfRangeException"/> unless it is in [0, 1).</summary>
    public Dropout(double rate, int[]? inputShape = null, string? name = null) : base(name, inputShape)
    {
        if (rate < 0 || rate >= 1) throw new ArgumentOutOfRangeException(nameof(rate), $"Dropout rate must be in [0, 1), got {rate}.");
        Rate = rate;
    }

    /// <summary>The probability of dropping each value while training, in [0, 1).</summary>
    public double Rate { get; }

    /// <inheritdoc/>
    protected override int[] ComputeOutputShape(int[] s) => s;

    /// <summary>While training (and with a positive rate) masks values with the layer's seeded generator and scales the rest by 1/(1 − rate); otherwise returns <paramref name="x"/>.</summary>
    protected override Tensor Forward(Tensor x, bool training) => training && Rate > 0 ? x.Dropout((float)Rate, Random) : x;

    /// <inheritdoc/>
    public override JsonObject GetConfig()
    {
        var c = base.GetConfig();
        c["rate"] = Rate;
        return c;
    }

    internal static Dropout FromConfig(JsonObject c) => new(Json.Double(c, "rate"), Json.OptionalIntArray(c, "input_shape"), Json.OptionalString(c, "name"));
}
