using System.Text.Json.Nodes;
using Trilobite.Initializers;
using Trilobite.Serialization;

namespace Trilobite.Layers;

/// <summary>
/// The primary capsules of Sabour et al. (2017): a convolution without an activation whose <see cref="Types"/>·<see cref="Dim"/>
/// channels are cut, at every pixel, into <see cref="Types"/> capsules of <see cref="Dim"/> values (capsule t = channels
/// [t·dim, t·dim + dim)), then squashed. (N, H, W, C) → (N, OH·OW·types, dim), capsules ordered by pixel, then type —
/// the official code's order. For MNIST's 20×20×256 features, 32 types of 8 values, 9×9 kernels, stride 2: (1152, 8).
/// </summary>
public sealed class PrimaryCaps : SingleInputLayer
{
    private Weight? _kernel, _bias;

    /// <summary>Throws <see cref="ArgumentException"/> naming the option for a size below 1.</summary>
    public PrimaryCaps(int types = 32, int dim = 8, int kernelSize = 9, int strides = 2, int[]? inputShape = null, string? name = null)
        : base(name, inputShape)
    {
        Arguments.AtLeast(nameof(PrimaryCaps), "types", types, 1);
        Arguments.AtLeast(nameof(PrimaryCaps), "dim", dim, 1);
        Arguments.AtLeast(nameof(PrimaryCaps), "kernel_size", kernelSize, 1);
        Arguments.AtLeast(nameof(PrimaryCaps), "strides", strides, 1);
        (Types, Dim, KernelSize, Strides) = (types, dim, kernelSize, strides);
    }

    /// <summary>Capsule types per pixel (the paper's 32).</summary>
    public int Types { get; }
    /// <summary>Values per capsule (8).</summary>
    public int Dim { get; }
    /// <summary>The square kernel's side (9).</summary>
    public int KernelSize { get; }
    /// <summary>The convolution's stride (2).</summary>
    public int Strides { get; }

    /// <inheritdoc/>
    protected override int[] ComputeOutputShape(int[] s)
    {
        if (s.Length != 3 || s[0] < KernelSize || s[1] < KernelSize)
            throw LayerShapeException.For(this, $"an image (H, W, C) of at least {KernelSize}×{KernelSize}", s);
        int oh = (s[0] - KernelSize) / Strides + 1, ow = (s[1] - KernelSize) / Strides + 1;
        return [oh * ow * Types, Dim];
    }

    /// <inheritdoc/>
    protected override void OnBuild(int[] s)
    {
        _kernel = AddWeight("kernel", [KernelSize, KernelSize, s[2], Types * Dim], Initializer.GlorotUniform);
        _bias = AddWeight("bias", [Types * Dim], Initializer.Zeros);
    }

    /// <inheritdoc/>
    protected override Tensor Forward(Tensor x, bool training) =>
        x.Conv2D(_kernel!.Value, _bias!.Value, Strides).Reshape(x.Dim(0), OutputShape[0], Dim).Squash();

    /// <inheritdoc/>
    public override JsonObject GetConfig()
    {
        var c = base.GetConfig();
        (c["types"], c["dim"], c["kernel_size"], c["strides"]) = (Types, Dim, KernelSize, Strides);
        return c;
    }

    internal static PrimaryCaps FromConfig(JsonObject c) => new(Json.Int(c, "types"), Json.Int(c, "dim"), Json.Int(c, "kernel_size"),
        Json.Int(c, "strides"), Json.OptionalIntArray(c, "input_shape"), Json.OptionalString(c, "name"));
}
