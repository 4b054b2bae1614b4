using System.Text.Json.Nodes;
using Trilobite.Initializers;
using Trilobite.Serialization;

namespace Trilobite.Layers;

/// <summary>
/// 2-D convolution over (N, H, W, C) with <c>filters</c> kernels of <c>kernelSize</c>, as Keras's Conv2D:
/// kernel (KH, KW, C, filters) initialised Glorot-uniform, bias zeros, 'valid' padding by default.
/// <code>new Conv2D(32, kernelSize: 3, activation: Activation.ReLU, inputShape: [28, 28, 1])</code>
/// </summary>
public sealed class Conv2D : SingleInputLayer
{
    private Weight? _kernel, _bias;

    /// <summary>A square kernel, stride and dilation (Keras's single-integer form). Throws as the general constructor does.</summary>
    public Conv2D(int filters, int kernelSize, int strides = 1, Padding padding = Padding.Valid, Activation activation = Activation.Linear,
        bool useBias = true, int dilationRate = 1, Initializer? kernelInitializer = null, int[]? inputShape = null, string? name = null,
        Regularizer? kernelRegularizer = null, Regularizer? biasRegularizer = null, Initializer? biasInitializer = null)
        : this(filters, (kernelSize, kernelSize), (strides, strides), padding, activation, useBias, (dilationRate, dilationRate), kernelInitializer,
            inputShape, name, kernelRegularizer, biasRegularizer, biasInitializer) { }

    /// <summary>
    /// The general form, one value per axis (height, width); <paramref name="dilationRate"/> defaults to (1, 1) and
    /// <paramref name="kernelInitializer"/> to Glorot-uniform. Throws <see cref="ArgumentOutOfRangeException"/> for no filters and
    /// <see cref="ArgumentException"/> for a kernel size, stride or dilation below 1.
    /// </summary>
    public Conv2D(int filters, (int H, int W) kernelSize, (int H, int W) strides, Padding padding = Padding.Valid, Activation activation = Activation.Linear,
        bool useBias = true, (int H, int W)? dilationRate = null, Initializer? kernelInitializer = null, int[]? inputShape = null, string? name = null,
        Regularizer? kernelRegularizer = null, Regularizer? biasRegularizer = null, Initializer? biasInitializer = null)
        : base(name, inputShape)
    {
        BiasInitializer = biasInitializer ?? Initializer.Zeros;
        KernelRegularizer = kernelRegularizer;
        BiasRegularizer = biasRegularizer;
        if (filters < 1) throw new ArgumentOutOfRangeException(nameof(filters), $"Conv2D needs at least one filter, got {filters}.");
        Filters = filters;
        KernelSize = Arguments.AtLeast("Conv2D", "kernel_size", kernelSize, 1);
        Strides = Arguments.AtLeast("Conv2D", "strides", strides, 1);
        Padding = padding;
        Activation = activation;
        UseBias = useBias;
        DilationRate = Arguments.AtLeast("Conv2D", "dilation_rate", dilationRate ?? (1, 1), 1);
        KernelInitializer = kernelInitializer ?? Initializer.GlorotUniform;
    }

    /// <summary>Number of kernels: the output channels.</summary>
    public int Filters { get; }
    /// <summary>The kernel's height and width.</summary>
    public (int H, int W) KernelSize { get; }
    /// <summary>The step between windows along height and width.</summary>
    public (int H, int W) Strides { get; }
    /// <summary>Valid (no padding) or Same (output size ⌈input / stride⌉, as Keras).</summary>
    public Padding Padding { get; }
    /// <summary>Applied to the convolution's output.</summary>
    public Activation Activation { get; }
    /// <summary>Whether a bias (one per filter, zeros) is added.</summary>
    public bool UseBias { get; }
    /// <summary>The spacing between kernel taps along height and width (1: an ordinary convolution).</summary>
    public (int H, int W) DilationRate { get; }
    /// <summary>Draws the kernel (Glorot-uniform by default, as Keras).</summary>
    public Initializer KernelInitializer { get; }

    /// <summary>Draws the bias (zeros by default, as Keras; a detector's classifier starts at its prior instead).</summary>
    public Initializer BiasInitializer { get; }

    /// <summary>Penalty on the kernel added to the training loss.</summary>
    public Regularizer? KernelRegularizer { get; }

    /// <summary>Penalty on the bias added to the training loss.</summary>
    public Regularizer? BiasRegularizer { get; }

    /// <summary>The kernel, (KH, KW, C, filters); throws <see cref="InvalidOperationException"/> before the layer is built.</summary>
    public Weight Kernel => _kernel ?? throw new InvalidOperationException($"Layer '{Name}' is not built yet.");
    /// <summary>The bias, (filters); null before build or without <see cref="UseBias"/>.</summary>
    public Weight? Bias => _bias;

    /// <summary>(H, W, C) → (OH, OW, filters); throws <see cref="LayerShapeException"/> for an input that is not 3-D or is smaller than the (dilated) kernel.</summary>
    protected override int[] ComputeOutputShape(int[] s)
    {
        if (s.Length != 3) throw LayerShapeException.For(this, "a 3-D input (height, width, channels)", s);
        var (oh, _) = Kernels.Conv2DGeometry.Axis(s[0], KernelSize.H, Strides.H, DilationRate.H, Padding == Padding.Same);
        var (ow, _) = Kernels.Conv2DGeometry.Axis(s[1], KernelSize.W, Strides.W, DilationRate.W, Padding == Padding.Same);
        if (oh < 1 || ow < 1) throw LayerShapeException.For(this, $"an input at least as large as its {KernelSize.H}×{KernelSize.W} kernel", s);
        return [oh, ow, Filters];
    }

    /// <summary>Creates the kernel (KH, KW, C, filters) and, with <see cref="UseBias"/>, the bias (filters), with their regularizers.</summary>
    protected override void OnBuild(int[] s)
    {
        _kernel = AddWeight("kernel", [KernelSize.H, KernelSize.W, s[2], Filters], KernelInitializer, regularizer: KernelRegularizer);
        if (UseBias) _bias = AddWeight("bias", [Filters], BiasInitializer, regularizer: BiasRegularizer);
    }

    /// <summary>A convolution's kernel fits any image with the same channels: one Conv2D can be called on several feature-map sizes.</summary>
    protected override bool CanShareWeights(int[] inputShape) => inputShape.Length == 3 && inputShape[2] == InputShapes[0][2];

    /// <summary>ReLU, the common case, is fused into the convolution op; other activations follow it.</summary>
    protected override Tensor Forward(Tensor x, bool training) => Activation == Activation.ReLU
        ? x.Conv2D(Kernel.Value, _bias?.Value, Strides, Padding, DilationRate, relu: true)
        : Activations.Apply(x.Conv2D(Kernel.Value, _bias?.Value, Strides, Padding, DilationRate), Activation);

    /// <inheritdoc/>
    public override JsonObject GetConfig()
    {
        var c = base.GetConfig();
        c["filters"] = Filters;
        c["kernel_size"] = Json.Array([KernelSize.H, KernelSize.W]);
        c["strides"] = Json.Array([Strides.H, Strides.W]);
        c["padding"] = Padding == Padding.Same ? "same" : "valid";
        c["dilation_rate"] = Json.Array([DilationRate.H, DilationRate.W]);
        c["activation"] = Activations.Name(Activation);
        c["use_bias"] = UseBias;
        c["kernel_initializer"] = KernelInitializer.Name;
        c["bias_initializer"] = BiasInitializer.Name;
        c["kernel_regularizer"] = KernelRegularizer?.GetConfig();
        c["bias_regularizer"] = BiasRegularizer?.GetConfig();
        return c;
    }

    internal static Conv2D FromConfig(JsonObject c)
    {
        var kernel = LayerConfig.Pair(c, "kernel_size") ?? throw new InvalidDataException("Conv2D's config needs 'kernel_size'.");
        return new Conv2D(Json.Int(c, "filters"), kernel, LayerConfig.Pair(c, "strides") ?? (1, 1), LayerConfig.Padding(c),
            Activations.Parse(Json.String(c, "activation")), Json.Bool(c, "use_bias", true), LayerConfig.Pair(c, "dilation_rate") ?? (1, 1),
            Initializer.FromName(Json.OptionalString(c, "kernel_initializer") ?? "glorot_uniform"),
            Json.OptionalIntArray(c, "input_shape"), Json.OptionalString(c, "name"),
            Regularizer.FromConfig(c["kernel_regularizer"]), Regularizer.FromConfig(c["bias_regularizer"]),
            Initializer.FromName(Json.OptionalString(c, "bias_initializer") ?? "zeros"));
    }
}
