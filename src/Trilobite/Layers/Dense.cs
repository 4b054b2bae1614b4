using System.Text.Json.Nodes;
using Trilobite.Initializers;
using Trilobite.Serialization;

namespace Trilobite.Layers;

/// <summary>
/// A fully connected layer: y = activation(x·W + b) with W (in, units) Glorot-uniform and b zeros.
/// Takes (N, in); Flatten first for images. <code>new Dense(128, activation: Activation.ReLU)</code>
/// </summary>
public sealed class Dense : SingleInputLayer
{
    private Weight? _kernel, _bias;

    public Dense(int units, Activation activation = Activation.Linear, bool useBias = true, Initializer? kernelInitializer = null,
        int[]? inputShape = null, string? name = null) : base(name, inputShape)
    {
        if (units < 1) throw new ArgumentOutOfRangeException(nameof(units), $"Dense needs at least one unit, got {units}.");
        Units = units;
        Activation = activation;
        UseBias = useBias;
        KernelInitializer = kernelInitializer ?? Initializer.GlorotUniform;
    }

    public int Units { get; }
    public Activation Activation { get; }
    public bool UseBias { get; }
    public Initializer KernelInitializer { get; }

    public Weight Kernel => _kernel ?? throw new InvalidOperationException($"Layer '{Name}' is not built yet.");
    public Weight? Bias => _bias;

    protected override int[] ComputeOutputShape(int[] s)
    {
        if (s.Length != 1) throw LayerShapeException.For(this, "a flat input (features,) — add a Flatten layer before it", s);
        return [Units];
    }

    protected override void OnBuild(int[] s)
    {
        _kernel = AddWeight("kernel", [s[0], Units], KernelInitializer);
        if (UseBias) _bias = AddWeight("bias", [Units], Initializer.Zeros);
    }

    protected override Tensor Forward(Tensor x, bool training)
    {
        var y = x.MatMul(Kernel.Value);
        if (_bias != null) y += _bias.Value;
        return Activations.Apply(y, Activation);
    }

    public override JsonObject GetConfig()
    {
        var c = base.GetConfig();
        c["units"] = Units;
        c["activation"] = Activations.Name(Activation);
        c["use_bias"] = UseBias;
        c["kernel_initializer"] = KernelInitializer.Name;
        return c;
    }

    internal static Dense FromConfig(JsonObject c) => new(Json.Int(c, "units"), Activations.Parse(Json.String(c, "activation")),
        Json.Bool(c, "use_bias", true), Initializer.FromName(Json.OptionalString(c, "kernel_initializer") ?? "glorot_uniform"),
        Json.OptionalIntArray(c, "input_shape"), Json.OptionalString(c, "name"));
}
