using Trilobite.Data;
using Trilobite.Vision.Imaging;

namespace Trilobite.Vision.Data;

/// <summary>A picture prepared the way a model's training data was, for `trilobite predict`, `show` and `serve`.</summary>
public static class ModelInput
{
    /// <summary>
    /// A (1, H, W, C) batch for the model's input shape. A digit classifier (28×28×1, classes 0–9 or unnamed) gets
    /// the picture made MNIST-like (dark ink on white inverted, cropped, 20×20 centred by mass in a 28×28 frame);
    /// any other model gets the image-folder pipeline's preprocessing (resize, colour conversion, scaling), which
    /// is also how Fashion-MNIST's files read. Throws <see cref="ArgumentException"/> for a model that does not take images.
    /// </summary>
    public static Tensor FromPicture(RgbImage picture, int[] shape, IReadOnlyList<string>? classNames)
    {
        ArgumentNullException.ThrowIfNull(picture);
        ArgumentNullException.ThrowIfNull(shape);
        if (shape.Length != 3 || shape[2] is not (1 or 3))
            throw new ArgumentException($"the model's input is not an image (height, width, 1 or 3 channels): it takes {ShapeText.WithBatch(shape)}.");
        if (shape is [28, 28, 1] && (classNames == null || classNames.SequenceEqual(Mnist.ClassNames)))
        {
            var gray = picture.ToGray();
            return Tensor.FromArray(DigitImage.ToMnist(gray.Pixels.Select(p => p / 255f).ToArray(), gray.Width, gray.Height), [1, 28, 28, 1], Device.Cpu);
        }
        return ImageSample.FromPicture(picture, shape[0], shape[1], shape[2] == 1 ? ColorMode.Grayscale : ColorMode.Rgb);
    }
}
