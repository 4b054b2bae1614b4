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

    /// <summary>A layer of <paramref name="units"/> outputs; <paramref name="kernelInitializer"/> defaults to Glorot-uniform. Throws <see cref="ArgumentOutOfRangeException"/> for fewer than one unit.</summary>
    public Dense(int units, Activation activation = Activation.Linear, bool useBias = true, Initializer? kernelInitializer = null,
        int[]? inputShape = null, string? name = null, Regularizer? kernelRegularizer = null, Regularizer? biasRegularizer = null)
        : base(name, inputShape)
    {
        if (units < 1) throw new ArgumentOutOfRangeException(nameof(units), $"Dense needs at least one unit, got {units}.");
        Units = units;
        Activation = activation;
        UseBias = useBias;
        KernelInitializer = kernelInitializer ?? Initializer.GlorotUniform;
        _kernelRegularizer = kernelRegularizer;
        _biasRegularizer = biasRegularizer;
    }

    private Regularizer? _kernelRegularizer, _biasRegularizer;

    /// <summary>Penalty on the kernel added to the training loss; may change between steps (the playground's slider).</summary>
    public Regularizer? KernelRegularizer
    {
        get => _kernelRegularizer;
        set { _kernelRegularizer = value; if (_kernel != null) _kernel.Regularizer = value; }
    }

    /// <summary>Penalty on the bias added to the training loss.</summary>
    public Regularizer? BiasRegularizer
    {
        get => _biasRegularizer;
        set { _biasRegularizer = value; if (_bias != null) _bias.Regularizer = value; }
    }

    /// <summary>Number of outputs.</summary>
    public int Units { get; }
    /// <summary>Applied to x·W + b.</summary>
    public Activation Activation { get; }
    /// <summary>Whether a bias (one per unit, zeros) is added.</summary>
    public bool UseBias { get; }
    /// <summary>Draws the kernel (Glorot-uniform by default, as Keras).</summary>
    public Initializer KernelInitializer { get; }

    /// <summary>The kernel, (in, units); throws <see cref="InvalidOperationException"/> before the layer is built.</summary>
    public Weight Kernel => _kernel ?? throw new InvalidOperationException($"Layer '{Name}' is not built yet.");
    /// <summary>The bias, (units); null before build or without <see cref="UseBias"/>.</summary>
    public Weight? Bias => _bias;

    /// <summary>(in) → (units); throws <see cref="LayerShapeException"/> for an input that is not flat.</summary>
    protected override int[] ComputeOutputShape(int[] s)
    {
        if (s.Length != 1) throw LayerShapeException.For(this, "a flat input (features,) — add a Flatten layer before it", s);
        return [Units];
    }

    /// <summary>Creates the kernel (in, units) and, with <see cref="UseBias"/>, the bias (units), with their regularizers.</summary>
    protected override void OnBuild(int[] s)
    {
        _kernel = AddWeight("kernel", [s[0], Units], KernelInitializer, regularizer: _kernelRegularizer);
        if (UseBias) _bias = AddWeight("bias", [Units], Initializer.Zeros, regularizer: _biasRegularizer);
    }

    /// <summary>activation(x·W + b): <see cref="Logits"/> followed by the activation.</summary>
    protected override Tensor Forward(Tensor x, bool training) => Activations.Apply(Logits(x), Activation);

    /// <summary>
    /// x·W + b without the activation: the scores a softmax head turns into probabilities (for Grad-CAM, calibration,
    /// or a loss with FromLogits). Differentiable. <code>var scores = head.Logits(features);</code>
    /// </summary>
    public Tensor Logits(Tensor x)
    {
        var y = x.MatMul(Kernel.Value);
        return _bias != null ? y + _bias.Value : y;
    }

    /// <inheritdoc/>
    public override JsonObject GetConfig()
    {
        var c = base.GetConfig();
        c["units"] = Units;
        c["activation"] = Activations.Name(Activation);
        c["use_bias"] = UseBias;
        c["kernel_initializer"] = KernelInitializer.Name;
        c["kernel_regularizer"] = KernelRegularizer?.GetConfig();
        c["bias_regularizer"] = BiasRegularizer?.GetConfig();
        return c;
    }

    internal static Dense FromConfig(JsonObject c) => new(Json.Int(c, "units"), Activations.Parse(Json.String(c, "activation")),
        Json.Bool(c, "use_bias", true), Initializer.FromName(Json.OptionalString(c, "kernel_initializer") ?? "glorot_uniform"),
        Json.OptionalIntArray(c, "input_shape"), Json.OptionalString(c, "name"),
        Regularizer.FromConfig(c["kernel_regularizer"]), Regularizer.FromConfig(c["bias_regularizer"]));
}
