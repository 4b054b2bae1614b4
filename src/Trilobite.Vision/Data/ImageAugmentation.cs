namespace Trilobite.Vision.Data;

/// <summary>
/// Random transformations of training images, drawn per image from a seeded generator: horizontal flip, a random
/// crop (zoom in to a fraction of the image) and translation, a small rotation, and brightness/contrast changes.
/// Geometry is applied as one affine map while resizing (bilinear, edges repeated), so each output pixel is
/// interpolated once. <code>new ImageAugmentation { HorizontalFlip = true, Translation = 0.1, RotationDegrees = 10 }</code>
/// </summary>
public sealed record ImageAugmentation
{
    /// <summary>Mirror left–right with probability ½.</summary>
    public bool HorizontalFlip { get; init; }

    /// <summary>Crop a random window whose side is a fraction in [1 − Crop, 1] of the image (then resize): 0 = never.</summary>
    public double Crop { get; init; }

    /// <summary>Shift by up to ± this fraction of the width and the height.</summary>
    public double Translation { get; init; }

    /// <summary>Rotate by an angle in ± this many degrees.</summary>
    public double RotationDegrees { get; init; }

    /// <summary>Add a value in ± this to every pixel (pixels are in [0, 1]).</summary>
    public double Brightness { get; init; }

    /// <summary>Scale each channel's deviation from its mean by a factor in [1 − Contrast, 1 + Contrast].</summary>
    public double Contrast { get; init; }

    /// <summary>A mild default for photographs: flip, 10 % crop and shift, ±10°, ±0.1 brightness and contrast.</summary>
    public static ImageAugmentation Default { get; } = new()
    {
        HorizontalFlip = true, Crop = 0.1, Translation = 0.1, RotationDegrees = 10, Brightness = 0.1, Contrast = 0.1,
    };

    internal bool IsGeometric => HorizontalFlip || Crop > 0 || Translation > 0 || RotationDegrees > 0;

    /// <summary>One image's draw of the geometric parameters.</summary>
    internal Geometry DrawGeometry(Random random) => new(
        HorizontalFlip && random.Next(2) == 1,
        1 - Crop * random.NextDouble(),
        Translation * (2 * random.NextDouble() - 1),
        Translation * (2 * random.NextDouble() - 1),
        RotationDegrees * (2 * random.NextDouble() - 1) * Math.PI / 180);

    /// <summary>Brightness and contrast on (H, W, C) values in [0, 1], clipped back to [0, 1].</summary>
    internal void ApplyPhotometric(Span<float> pixels, int channels, Random random)
    {
        if (Brightness <= 0 && Contrast <= 0) return;
        float delta = (float)(Brightness * (2 * random.NextDouble() - 1));
        float factor = (float)(1 + Contrast * (2 * random.NextDouble() - 1));
        int count = pixels.Length / channels;
        for (int c = 0; c < channels; c++)
        {
            double sum = 0;
            for (int i = c; i < pixels.Length; i += channels) sum += pixels[i];
            float mean = (float)(sum / count);
            for (int i = c; i < pixels.Length; i += channels)
                pixels[i] = Math.Clamp((pixels[i] - mean) * factor + mean + delta, 0f, 1f);
        }
    }

    /// <summary>Flip, crop scale (side fraction), translation (fractions of the size) and rotation (radians) of one image.</summary>
    internal readonly record struct Geometry(bool Flip, double Scale, double ShiftX, double ShiftY, double Angle);
}
