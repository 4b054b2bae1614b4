using System.Text.Json.Nodes;
using Trilobite.Serialization;

namespace Trilobite.Layers;

/// <summary>Applies an activation function on its own (Keras's <c>Activation</c> layer), e.g. after BatchNormalization.</summary>
public sealed class ActivationLayer(Activation activation, int[]? inputShape = null, string? name = null) : SingleInputLayer(name, inputShape)
{
    /// <summary>The function applied.</summary>
    public Activation Activation { get; } = activation;

    /// <inheritdoc/>
    public override string TypeName => "Activation";

    /// <inheritdoc/>
    protected override int[] ComputeOutputShape(int[] s) => s;

    /// <inheritdoc/>
    protected override Tensor Forward(Tensor x, bool training) => Activations.Apply(x, Activation);

    /// <inheritdoc/>
    public override JsonObject GetConfig()
    {
        var c = base.GetConfig();
        c["activation"] = Activations.Name(Activation);
        return c;
    }

    internal static ActivationLayer FromConfig(JsonObject c) =>
        new(Activations.Parse(Json.String(c, "activation")), Json.OptionalIntArray(c, "input_shape"), Json.OptionalString(c, "name"));
}
