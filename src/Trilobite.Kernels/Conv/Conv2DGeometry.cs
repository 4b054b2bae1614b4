namespace Trilobite.Kernels;

/// <summary>
/// The shape arithmetic of a 2-D convolution or pooling window over an NHWC tensor, computed in
/// one place. Output size follows Keras: 'valid' gives ⌊(n − k_eff)/s⌋ + 1; 'same' gives ⌈n/s⌉
/// with total padding max((⌈n/s⌉ − 1)·s + k_eff − n, 0), the odd pixel going to the bottom/right.
/// k_eff = (k − 1)·d + 1 for dilation d. With explicit padding P this is the lecture's (D − F + 2P)/S + 1.
/// </summary>
public readonly record struct Conv2DGeometry(
    int Batch, int InHeight, int InWidth, int InChannels,
    int KernelHeight, int KernelWidth, int OutChannels,
    int StrideHeight, int StrideWidth, int DilationHeight, int DilationWidth,
    int PadTop, int PadLeft, int OutHeight, int OutWidth)
{
    /// <summary>Geometry for 'same' (<paramref name="same"/> = true) or 'valid' padding, as Keras computes it.</summary>
    public static Conv2DGeometry Create(int batch, int inHeight, int inWidth, int inChannels,
        int kernelHeight, int kernelWidth, int outChannels, int strideHeight, int strideWidth, bool same,
        int dilationHeight = 1, int dilationWidth = 1)
    {
        if (kernelHeight < 1 || kernelWidth < 1 || strideHeight < 1 || strideWidth < 1 || dilationHeight < 1 || dilationWidth < 1)
            throw new ArgumentException($"Kernel {kernelHeight}×{kernelWidth}, stride {strideHeight}×{strideWidth} and dilation {dilationHeight}×{dilationWidth} must all be at least 1.");
        if (batch < 0 || inHeight < 1 || inWidth < 1 || inChannels < 1 || outChannels < 1)
            throw new ArgumentException($"A convolution needs a non-negative batch and positive sizes, got batch {batch}, input {inHeight}×{inWidth}×{inChannels}, {outChannels} output channels.");
        if ((long)(kernelHeight - 1) * dilationHeight + 1 > int.MaxValue || (long)(kernelWidth - 1) * dilationWidth + 1 > int.MaxValue)
            throw new ArgumentException($"A {kernelHeight}×{kernelWidth} window with dilation {dilationHeight}×{dilationWidth} is too large.");
        var (outH, padTop) = Axis(inHeight, kernelHeight, strideHeight, dilationHeight, same);
        var (outW, padLeft) = Axis(inWidth, kernelWidth, strideWidth, dilationWidth, same);
        if (outH < 1 || outW < 1)
            throw new ArgumentException($"A {kernelHeight}×{kernelWidth} window (dilation {dilationHeight}×{dilationWidth}) with 'valid' padding does not fit a {inHeight}×{inWidth} input.");
        // The input, the output and the im2col row (the patch) must be indexable with an int. (A convolution's weights are a
        // tensor, so their length is an int already; a pooling window has no weights, so KH·KW·C·C is not checked.)
        long patch = (long)kernelHeight * kernelWidth * inChannels;
        if ((long)batch * inHeight * inWidth * inChannels > int.MaxValue || (long)batch * outH * outW * outChannels > int.MaxValue || patch > int.MaxValue)
            throw new ArgumentException($"A {kernelHeight}×{kernelWidth} window over a {batch}×{inHeight}×{inWidth}×{inChannels} input with {outChannels} output channels has operands too large for one array.");
        return new Conv2DGeometry(batch, inHeight, inWidth, inChannels, kernelHeight, kernelWidth, outChannels,
            strideHeight, strideWidth, dilationHeight, dilationWidth, padTop, padLeft, outH, outW);
    }

    /// <summary>
    /// Geometry of a window with explicit padding (PyTorch's and ONNX's pads; a pooling window never counts it): output
    /// ⌊(n + before + after − k)/s⌋ + 1. Each pad must be smaller than the window, so that no window lies in padding only.
    /// </summary>
    public static Conv2DGeometry CreatePadded(int batch, int inHeight, int inWidth, int channels, int kernelHeight, int kernelWidth,
        int strideHeight, int strideWidth, (int Top, int Bottom, int Left, int Right) pads)
    {
        var valid = Create(batch, inHeight + pads.Top + pads.Bottom, inWidth + pads.Left + pads.Right, channels, kernelHeight, kernelWidth, channels, strideHeight, strideWidth, same: false);
        if (pads.Top < 0 || pads.Bottom < 0 || pads.Left < 0 || pads.Right < 0 || Math.Max(pads.Top, pads.Bottom) >= kernelHeight || Math.Max(pads.Left, pads.Right) >= kernelWidth)
            throw new ArgumentException($"Pads (top {pads.Top}, bottom {pads.Bottom}, left {pads.Left}, right {pads.Right}) must be at least 0 and smaller than the {kernelHeight}×{kernelWidth} window.");
        return valid with { InHeight = inHeight, InWidth = inWidth, PadTop = pads.Top, PadLeft = pads.Left };
    }

    /// <summary>The lecture's activation-map size (D − F + 2P)/S + 1 for explicit symmetric padding P.</summary>
    public static int OutputSize(int inputSize, int kernelSize, int padding, int stride) =>
        (inputSize - kernelSize + 2 * padding) / stride + 1;

    /// <summary>Output length and leading padding along one axis.</summary>
    public static (int Out, int PadBefore) Axis(int n, int k, int s, int d, bool same)
    {
        // In long: window, stride and dilation come from layer configs, and their products may pass int.
        long kEff = (long)(k - 1) * d + 1;
        if (!same) return (n >= kEff ? (int)((n - kEff) / s + 1) : 0, 0);
        long outN = ((long)n + s - 1) / s;
        long padTotal = Math.Max((outN - 1) * s + kEff - n, 0);
        return ((int)outN, (int)Math.Min(padTotal / 2, int.MaxValue));
    }

    /// <summary>Rows of the im2col matrix for one image: OH·OW.</summary>
    public int OutPixels => OutHeight * OutWidth;

    /// <summary>Columns of the im2col matrix: KH·KW·C (a row of the Keras-ordered weight matrix).</summary>
    public int PatchSize => KernelHeight * KernelWidth * InChannels;

    /// <summary>Elements of the input tensor: N·H·W·C.</summary>
    public int InputLength => Batch * InHeight * InWidth * InChannels;
    /// <summary>Elements of the output tensor: N·OH·OW·OC.</summary>
    public int OutputLength => Batch * OutHeight * OutWidth * OutChannels;
    /// <summary>Elements of the weight tensor (KH, KW, C, OC): KH·KW·C·OC.</summary>
    public int WeightLength => PatchSize * OutChannels;

    /// <summary>True when im2col would be the identity: a 1×1 window, stride 1, no padding.</summary>
    public bool IsPointwise => KernelHeight == 1 && KernelWidth == 1 && StrideHeight == 1 && StrideWidth == 1 && PadTop == 0 && PadLeft == 0;
}
