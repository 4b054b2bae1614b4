using System.Globalization;
using System.Text.Json.Nodes;
using Trilobite.Serialization;

namespace Trilobite;

/// <summary>
/// A penalty on a weight's values that training adds to the loss, as Keras's regularizers: <see cref="L1"/> adds
/// l1·Σ|w|, <see cref="L2"/> adds l2·Σw² (gradient 2·l2·w), <see cref="L1L2"/> both. Only trainable weights are
/// penalised, and the logged "loss" includes the penalties, as in Keras.
/// <code>new Dense(64, activation: Activation.ReLU, kernelRegularizer: Regularizer.L2(1e-4))</code>
/// </summary>
public sealed class Regularizer
{
    private Regularizer(double l1, double l2)
    {
        if (!(l1 >= 0) || !(l2 >= 0) || double.IsInfinity(l1) || double.IsInfinity(l2))
            throw new ArgumentOutOfRangeException(nameof(l1), $"Regularization factors must be finite and non-negative, got l1={l1}, l2={l2}.");
        (L1Factor, L2Factor) = (l1, l2);
    }

    /// <summary>l1·Σ|w| (Keras's default factor 0.01).</summary>
    public static Regularizer L1(double l1 = 0.01) => new(l1, 0);

    /// <summary>l2·Σw² (Keras's default factor 0.01).</summary>
    public static Regularizer L2(double l2 = 0.01) => new(0, l2);

    /// <summary>l1·Σ|w| + l2·Σw² (Keras's defaults: both 0).</summary>
    public static Regularizer L1L2(double l1 = 0, double l2 = 0) => new(l1, l2);

    /// <summary>l1, the factor of Σ|w| (0 for none).</summary>
    public double L1Factor { get; }
    /// <summary>l2, the factor of Σw² (0 for none).</summary>
    public double L2Factor { get; }

    /// <summary>The penalty for <paramref name="weight"/>'s values: a scalar tensor, differentiable, on the weight's device.</summary>
    public Tensor Penalty(Tensor weight)
    {
        Tensor? total = null;
        if (L1Factor > 0) total = weight.Abs().Sum() * (float)L1Factor;
        if (L2Factor > 0)
        {
            var l2 = (weight * weight).Sum() * (float)L2Factor;
            total = total == null ? l2 : total + l2;
        }
        return total ?? Tensor.Zeros([], weight.Device);
    }

    /// <summary>Keras's config: {"class_name": "L2", "config": {"l2": 0.01}}.</summary>
    public JsonObject GetConfig()
    {
        string name = L1Factor > 0 && L2Factor > 0 || L1Factor == 0 && L2Factor == 0 ? "L1L2" : L1Factor > 0 ? "L1" : "L2";
        var config = new JsonObject();
        if (name != "L2") config["l1"] = L1Factor;
        if (name != "L1") config["l2"] = L2Factor;
        return new JsonObject { ["class_name"] = name, ["config"] = config };
    }

    /// <summary>Reads <see cref="GetConfig"/>'s form (null for a JSON null).</summary>
    public static Regularizer? FromConfig(JsonNode? node)
    {
        if (node is null) return null;
        if (node is not JsonObject o || o["class_name"] is not JsonValue v || !v.TryGetValue(out string? name))
            throw new InvalidDataException($"A regularizer must be {{\"class_name\": \"L1\" | \"L2\" | \"L1L2\", \"config\": {{...}}}}, got {Excerpt.Of(node.ToJsonString())}.");
        var c = o["config"] as JsonObject ?? [];
        double Factor(string key, double fallback) => Json.OptionalDouble(c, key) ?? fallback;
        return name switch
        {
            "L1" => L1(Factor("l1", 0.01)),
            "L2" => L2(Factor("l2", 0.01)),
            "L1L2" => L1L2(Factor("l1", 0), Factor("l2", 0)),
            _ => throw new InvalidDataException($"Unknown regularizer '{Excerpt.Of(name)}'. Known: L1, L2, L1L2."),
        };
    }

    /// <summary>The kind and both factors, invariant culture: "L2(l1=0, l2=0.01)".</summary>
    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"{GetConfig()["class_name"]}(l1={L1Factor}, l2={L2Factor})");
}
