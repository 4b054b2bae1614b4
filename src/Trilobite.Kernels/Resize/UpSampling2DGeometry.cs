namespace Trilobite.Kernels;

/// <summary>
/// The shape arithmetic of nearest-neighbour upsampling of an NHWC tensor by integer factors: output pixel (i, j) copies
/// input pixel (⌊i/sh⌋, ⌊j/sw⌋), so the output is (N, H·sh, W·sw, C), as Keras's UpSampling2D(interpolation="nearest").
/// </summary>
public readonly record struct UpSampling2DGeometry(int Batch, int InHeight, int InWidth, int Channels, int ScaleHeight, int ScaleWidth)
{
    /// <summary>A validated geometry: positive sizes and factors, and operands that fit in one array.</summary>
    public static UpSampling2DGeometry Create(int batch, int inHeight, int inWidth, int channels, int scaleHeight, int scaleWidth)
    {
        if (batch < 0 || inHeight < 1 || inWidth < 1 || channels < 1 || scaleHeight < 1 || scaleWidth < 1)
            throw new ArgumentException($"Upsampling needs a non-negative batch and positive sizes and factors, got {batch}×{inHeight}×{inWidth}×{channels} by {scaleHeight}×{scaleWidth}.");
        if ((long)batch * inHeight * scaleHeight * inWidth * scaleWidth * channels > int.MaxValue)
            throw new ArgumentException($"Upsampling a {batch}×{inHeight}×{inWidth}×{channels} input by {scaleHeight}×{scaleWidth} gives an output too large for one array.");
        return new UpSampling2DGeometry(batch, inHeight, inWidth, channels, scaleHeight, scaleWidth);
    }

    /// <summary>Output rows: H·sh.</summary>
    public int OutHeight => InHeight * ScaleHeight;
    /// <summary>Output columns: W·sw.</summary>
    public int OutWidth => InWidth * ScaleWidth;
    /// <summary>Elements of the input tensor: N·H·W·C.</summary>
    public int InputLength => Batch * InHeight * InWidth * Channels;
    /// <summary>Elements of the output tensor: N·(H·sh)·(W·sw)·C.</summary>
    public int OutputLength => Batch * OutHeight * OutWidth * Channels;
}
