using System.Text.Json.Nodes;
using Trilobite.Initializers;
using Trilobite.Serialization;

namespace Trilobite.Layers;

/// <summary>
/// Keras's Conv2DTranspose: the "deconvolution" of U-Net's expanding path, the adjoint of a Conv2D with the same
/// kernel, strides and dilation. The kernel is stored (KH, KW, filters, in_channels) as Keras stores it. Output size
/// (Keras's <c>deconv_output_length</c>, k the dilated kernel): 'valid' → n·s + max(k − s, 0), 'same' → n·s, and with an
/// <c>outputPadding</c> p: (n − 1)·s + k − 2·pad + p, pad = 0 ('valid') or ⌊k/2⌋ ('same'). Which rows of the full
/// transposed convolution are kept follows Keras 3's padding for its JAX and PyTorch backends.
/// <code>new Conv2DTranspose(64, kernelSize: 2, strides: 2)</code> doubles the height and width.
/// </summary>
public sealed class Conv2DTranspose : SingleInputLayer
{
    private Weight? _kernel, _bias;

    /// <summary>A square kernel, stride and dilation (Keras's single-integer form).</summary>
    public Conv2DTranspose(int filters, int kernelSize, int strides = 1, Padding padding = Padding.Valid, int? outputPadding = null,
        Activation activation = Activation.Linear, bool useBias = true, int dilationRate = 1, Initializer? kernelInitializer = null,
        int[]? inputShape = null, string? name = null)
        : this(filters, (kernelSize, kernelSize), (strides, strides), padding, outputPadding is int p ? (p, p) : null, activation, useBias,
            (dilationRate, dilationRate), kernelInitializer, inputShape, name) { }

    /// <summary>
    /// The general form, one value per axis (height, width). Throws <see cref="ArgumentOutOfRangeException"/> for no filters
    /// and <see cref="ArgumentException"/> for a kernel, stride or dilation below 1, or an output padding that is negative
    /// or not smaller than the stride (Keras's rule).
    /// </summary>
    public Conv2DTranspose(int filters, (int H, int W) kernelSize, (int H, int W) strides, Padding padding = Padding.Valid,
        (int H, int W)? outputPadding = null, Activation activation = Activation.Linear, bool useBias = true, (int H, int W)? dilationRate = null,
        Initializer? kernelInitializer = null, int[]? inputShape = null, string? name = null) : base(name, inputShape)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(filters);
        Filters = filters;
        KernelSize = Arguments.AtLeast("Conv2DTranspose", "kernel_size", kernelSize, 1);
        Strides = Arguments.AtLeast("Conv2DTranspose", "strides", strides, 1);
        DilationRate = Arguments.AtLeast("Conv2DTranspose", "dilation_rate", dilationRate ?? (1, 1), 1);
        if (outputPadding is { } op && (op.H < 0 || op.W < 0 || op.H >= Strides.H || op.W >= Strides.W))
            throw new ArgumentException($"Conv2DTranspose: output_padding must be at least 0 and less than the stride ({Strides.H}, {Strides.W}), got ({op.H}, {op.W}).");
        OutputPadding = outputPadding;
        Padding = padding;
        Activation = activation;
        UseBias = useBias;
        KernelInitializer = kernelInitializer ?? Initializer.GlorotUniform;
    }

    /// <summary>Number of kernels: the output channels.</summary>
    public int Filters { get; }
    /// <summary>The kernel's height and width.</summary>
    public (int H, int W) KernelSize { get; }
    /// <summary>The upsampling step along height and width.</summary>
    public (int H, int W) Strides { get; }
    /// <summary>Valid or Same, as Keras defines them for a transposed convolution (see the class summary).</summary>
    public Padding Padding { get; }
    /// <summary>Extra rows and columns at the bottom and right (Keras's output_padding), or null for Keras's default.</summary>
    public (int H, int W)? OutputPadding { get; }
    /// <summary>The spacing between kernel taps along height and width.</summary>
    public (int H, int W) DilationRate { get; }
    /// <summary>Applied to the output.</summary>
    public Activation Activation { get; }
    /// <summary>Whether a bias (one per filter, zeros) is added.</summary>
    public bool UseBias { get; }
    /// <summary>Draws the kernel (Glorot-uniform by default, as Keras).</summary>
    public Initializer KernelInitializer { get; }

    /// <summary>The kernel, (KH, KW, filters, in_channels); throws <see cref="InvalidOperationException"/> before the layer is built.</summary>
    public Weight Kernel => _kernel ?? throw new InvalidOperationException($"Layer '{Name}' is not built yet.");
    /// <summary>The bias, (filters); null before build or without <see cref="UseBias"/>.</summary>
    public Weight? Bias => _bias;

    /// <summary>
    /// One axis: the output length and how many rows of the full transposed convolution ((n − 1)·s + k) to cut before and
    /// after it (a negative "after" is zero rows to add: the kernel never reaches them).
    /// </summary>
    public static (int Length, int CutBefore, int CutAfter) Axis(int n, int kernel, int stride, int dilation, bool same, int? outputPadding)
    {
        int k = (kernel - 1) * dilation + 1;
        long length = outputPadding is not int p
            ? (same ? (long)n * stride : (long)n * stride + Math.Max(k - stride, 0))
            : (long)(n - 1) * stride + k - 2 * (same ? k / 2 : 0) + p;
        // Keras 3 (JAX/PyTorch backends) pads the stride-dilated input by (left, right); the full result corresponds to k − 1.
        int left;
        if (!same) left = k - 1;
        else
        {
            int padLength = outputPadding is int q ? k + k % 2 - 2 + q : stride + k - 2;
            left = Math.Min(padLength / 2 + padLength % 2, k - 1);
        }
        long full = Autograd.Ops.ConvTranspose2DOp.FullLength(n, kernel, stride, dilation);
        int before = k - 1 - left;
        if (length < 1 || length > int.MaxValue) return (0, 0, 0);
        return ((int)length, before, (int)(full - length - before));
    }

    /// <summary>(H, W, C) → (OH, OW, filters) by <see cref="Axis"/>; throws <see cref="LayerShapeException"/> for an input that is not 3-D or an output too large or empty.</summary>
    protected override int[] ComputeOutputShape(int[] s)
    {
        if (s.Length != 3) throw LayerShapeException.For(this, "a 3-D input (height, width, channels)", s);
        var (oh, _, _) = Axis(s[0], KernelSize.H, Strides.H, DilationRate.H, Padding == Padding.Same, OutputPadding?.H);
        var (ow, _, _) = Axis(s[1], KernelSize.W, Strides.W, DilationRate.W, Padding == Padding.Same, OutputPadding?.W);
        if (oh < 1 || ow < 1) throw LayerShapeException.For(this, "an input whose transposed convolution stays indexable", s);
        return [oh, ow, Filters];
    }

    /// <inheritdoc/>
    protected override void OnBuild(int[] s)
    {
        _kernel = AddWeight("kernel", [KernelSize.H, KernelSize.W, Filters, s[2]], KernelInitializer);
        if (UseBias) _bias = AddWeight("bias", [Filters], Initializer.Zeros);
    }

    /// <summary>The full transposed convolution, cut (or zero-extended) to Keras's output size, plus the bias, then the activation.</summary>
    protected override Tensor Forward(Tensor x, bool training)
    {
        bool same = Padding == Padding.Same;
        var (_, top, bottom) = Axis(x.Dim(1), KernelSize.H, Strides.H, DilationRate.H, same, OutputPadding?.H);
        var (_, left, right) = Axis(x.Dim(2), KernelSize.W, Strides.W, DilationRate.W, same, OutputPadding?.W);
        var y = x.ConvTranspose2D(Kernel.Value, Strides, DilationRate);
        if (top > 0 || left > 0 || bottom > 0 || right > 0) y = y.Crop2D(top, Math.Max(bottom, 0), left, Math.Max(right, 0));
        if (bottom < 0 || right < 0) y = y.ZeroPad2D(0, Math.Max(-bottom, 0), 0, Math.Max(-right, 0));
        if (_bias != null) y += _bias.Value;
        return Activations.Apply(y, Activation);
    }

    /// <inheritdoc/>
    public override JsonObject GetConfig()
    {
        var c = base.GetConfig();
        c["filters"] = Filters;
        c["kernel_size"] = Json.Array([KernelSize.H, KernelSize.W]);
        c["strides"] = Json.Array([Strides.H, Strides.W]);
        c["padding"] = Padding == Padding.Same ? "same" : "valid";
        c["output_padding"] = OutputPadding is { } p ? Json.Array([p.H, p.W]) : null;
        c["dilation_rate"] = Json.Array([DilationRate.H, DilationRate.W]);
        c["activation"] = Activations.Name(Activation);
        c["use_bias"] = UseBias;
        c["kernel_initializer"] = KernelInitializer.Name;
        return c;
    }

    internal static Conv2DTranspose FromConfig(JsonObject c)
    {
        var kernel = LayerConfig.Pair(c, "kernel_size") ?? throw new InvalidDataException("Conv2DTranspose's config needs 'kernel_size'.");
        return new Conv2DTranspose(Json.Int(c, "filters"), kernel, LayerConfig.Pair(c, "strides") ?? (1, 1), LayerConfig.Padding(c),
            LayerConfig.Pair(c, "output_padding"), Activations.Parse(Json.String(c, "activation")), Json.Bool(c, "use_bias", true),
            LayerConfig.Pair(c, "dilation_rate") ?? (1, 1), Initializer.FromName(Json.OptionalString(c, "kernel_initializer") ?? "glorot_uniform"),
            Json.OptionalIntArray(c, "input_shape"), Json.OptionalString(c, "name"));
    }
}
