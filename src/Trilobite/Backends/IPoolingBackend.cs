using Trilobite.Kernels;

namespace Trilobite.Backends;

/// <summary>
/// Pooling over NHWC windows described by a <see cref="Conv2DGeometry"/> (OutChannels = InChannels; padding never wins a
/// max and is not counted in a mean), and its inverse, upsampling.
/// </summary>
public interface IPoolingBackend
{
    /// <summary>
    /// y = window max of x (NaN propagates; the first maximum wins ties). When <paramref name="forBackward"/>, returns what
    /// the backend wants kept for <see cref="MaxPool2DBackward"/> (the Cpu backend: the winners' indices, pooled; released
    /// with the step's scope), or null.
    /// </summary>
    Storage? MaxPool2DForward(in Conv2DGeometry g, StorageView x, StorageView y, bool forBackward);

    /// <summary>dx[winner] += dy for each output; <paramref name="saved"/> is what the forward pass returned.</summary>
    void MaxPool2DBackward(in Conv2DGeometry g, StorageView x, StorageView y, StorageView dy, Storage? saved, StorageView dx);

    /// <summary>y = mean of each window's in-bounds pixels of x (padding is not counted).</summary>
    void AvgPool2DForward(in Conv2DGeometry g, StorageView x, StorageView y);

    /// <summary>dx += dy spread evenly over each window's in-bounds pixels.</summary>
    void AvgPool2DBackward(in Conv2DGeometry g, StorageView dy, StorageView dx);

    /// <summary>y (N, C) = mean of x (N, pixels, C) over the pixels.</summary>
    void GlobalAvgPool2DForward(int batch, int pixels, int channels, StorageView x, StorageView y);

    /// <summary>dx (N, pixels, C) += dy (N, C)/pixels.</summary>
    void GlobalAvgPool2DBackward(int batch, int pixels, int channels, StorageView dy, StorageView dx);

    /// <summary>y (N, H·sh, W·sw, C) with y[n, i, j, c] = x[n, ⌊i/sh⌋, ⌊j/sw⌋, c] (nearest neighbour).</summary>
    void UpSampleNearest(in UpSampling2DGeometry g, StorageView x, StorageView y);

    /// <summary>dx[n, i, j, c] += the sum of dy over the sh × sw output pixels copied from input pixel (i, j).</summary>
    void UpSampleNearestBackward(in UpSampling2DGeometry g, StorageView dy, StorageView dx);

    /// <summary>
    /// y (N, H·sh, W·sw, C): bilinear with half-pixel centres, output pixel (i, j) sampling x at ((i + ½)/sh − ½, (j + ½)/sw − ½)
    /// clamped to the edge pixels (Keras's UpSampling2D "bilinear", PyTorch's align_corners=False).
    /// </summary>
    void UpSampleBilinear(in UpSampling2DGeometry g, StorageView x, StorageView y);

    /// <summary>y = x resized to any size by nearest neighbour (PyTorch's <c>interpolate(size=…, mode="nearest")</c>, <see cref="ResizeGeometry.Source"/>).</summary>
    void ResizeNearest(in ResizeGeometry g, StorageView x, StorageView y);

    /// <summary>dx += the adjoint of <see cref="ResizeNearest"/>: each output pixel's dy onto the input pixel it took.</summary>
    void ResizeNearestBackward(in ResizeGeometry g, StorageView dy, StorageView dx);

    /// <summary>dx += the adjoint of <see cref="UpSampleBilinear"/>: each output pixel's dy onto its four input neighbours, same weights.</summary>
    void UpSampleBilinearBackward(in UpSampling2DGeometry g, StorageView dy, StorageView dx);
}
