using Trilobite.Vision.Imaging;

namespace Trilobite.Vision.Data;

/// <summary>
/// One picture prepared exactly as <see cref="ImageFolder"/> prepares a validation sample (colour conversion,
/// bilinear resize, scaling to [0, 1], no augmentation), as a batch of one: what a model trained on an image
/// folder expects at prediction time.
/// </summary>
public static class ImageSample
{
    /// <summary>A (1, <paramref name="height"/>, <paramref name="width"/>, 1 or 3) batch made from <paramref name="picture"/>.</summary>
    public static Tensor FromPicture(RgbImage picture, int height, int width, ColorMode mode)
    {
        ArgumentNullException.ThrowIfNull(picture);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(height);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(width);
        int channels = mode == ColorMode.Grayscale ? 1 : 3;
        var sample = new float[height * width * channels];
        ImageSampler.Sample(picture, height, width, mode, geometry: null, sample);
        return Tensor.FromArray(sample, [1, height, width, channels], Device.Cpu);
    }
}
