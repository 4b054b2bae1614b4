namespace Trilobite.Kernels;

/// <summary>A resize of NHWC maps (N, H, W, C) to (N, OH, OW, C): any sizes, each output pixel taking one input pixel.</summary>
public readonly record struct ResizeGeometry(int Batch, int InHeight, int InWidth, int Channels, int OutHeight, int OutWidth)
{
    /// <summary>A validated geometry: positive sizes, operands that fit in one array.</summary>
    public static ResizeGeometry Create(int batch, int inHeight, int inWidth, int channels, int outHeight, int outWidth)
    {
        if (batch < 0 || inHeight < 1 || inWidth < 1 || channels < 1 || outHeight < 1 || outWidth < 1)
            throw new ArgumentException($"A resize needs a non-negative batch and positive sizes, got {batch}×{inHeight}×{inWidth}×{channels} to {outHeight}×{outWidth}.");
        if ((long)batch * outHeight * outWidth * channels > int.MaxValue || (long)batch * inHeight * inWidth * channels > int.MaxValue)
            throw new ArgumentException($"Resizing a {batch}×{inHeight}×{inWidth}×{channels} input to {outHeight}×{outWidth} gives operands too large for one array.");
        return new ResizeGeometry(batch, inHeight, inWidth, channels, outHeight, outWidth);
    }

    /// <summary>N·H·W·C.</summary>
    public int InputLength => Batch * InHeight * InWidth * Channels;

    /// <summary>N·OH·OW·C.</summary>
    public int OutputLength => Batch * OutHeight * OutWidth * Channels;

    /// <summary>
    /// The input row (or column) output index <paramref name="o"/> takes, by PyTorch's <c>interpolate(mode="nearest")</c>:
    /// ⌊o · (in / out)⌋ in float, at most in − 1. For whole factors it is ⌊o / factor⌋, as UpSampling2D.
    /// </summary>
    public static int Source(int o, int inSize, int outSize) => Math.Min((int)MathF.Floor(o * ((float)inSize / outSize)), inSize - 1);
}
