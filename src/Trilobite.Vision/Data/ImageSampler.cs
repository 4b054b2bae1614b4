using Trilobite.Vision.Imaging;

namespace Trilobite.Vision.Data;

/// <summary>
/// Turns a decoded picture into one (H, W, C) float sample in [0, 1]: colour conversion, bilinear resize and,
/// for training, the geometric augmentation folded into the resampling.
/// </summary>
internal static class ImageSampler
{
    /// <summary>Bytes are scaled as the core's <c>Preprocessing</c> does (× 1/255f), so a PNG reads back to the IDX loader's floats.</summary>
    private const float Scale = 1f / 255f;

    /// <summary>Writes the sample into <paramref name="destination"/> (H·W·C floats).</summary>
    public static void Sample(RgbImage picture, int height, int width, ColorMode mode, ImageAugmentation.Geometry? geometry, Span<float> destination)
    {
        int channels = mode == ColorMode.Grayscale ? 1 : 3;
        byte[][] planes = Planes(picture, mode);
        if (geometry is not { } g)
        {
            // Plain resize: OpenCV-exact bilinear per channel (a copy when the size already matches).
            var resized = new byte[height * width];
            for (int c = 0; c < channels; c++)
            {
                LinearResize.Resize(planes[c], picture.Width, picture.Height, resized, width, height);
                for (int i = 0; i < resized.Length; i++) destination[i * channels + c] = resized[i] * Scale;
            }
            return;
        }
        // Output pixel (u, v) ↦ offset from the crop window's centre in source pixels, mirrored and rotated:
        // d = ((u + ½)/W − ½)·cw, ((v + ½)/H − ½)·ch; s = centre + R(θ)·d; sampled at s − ½ (pixel centres).
        double cw = g.Scale * picture.Width, ch = g.Scale * picture.Height;
        double cx = picture.Width / 2.0 + g.ShiftX * picture.Width, cy = picture.Height / 2.0 + g.ShiftY * picture.Height;
        double cos = Math.Cos(g.Angle), sin = Math.Sin(g.Angle);
        for (int v = 0; v < height; v++)
            for (int u = 0; u < width; u++)
            {
                double dx = ((u + 0.5) / width - 0.5) * cw, dy = ((v + 0.5) / height - 0.5) * ch;
                if (g.Flip) dx = -dx;
                double sx = cx + cos * dx - sin * dy - 0.5, sy = cy + sin * dx + cos * dy - 0.5;
                for (int c = 0; c < channels; c++)
                    destination[(v * width + u) * channels + c] = Bilinear(planes[c], picture.Width, picture.Height, sx, sy) * Scale;
            }
    }

    private static byte[][] Planes(RgbImage picture, ColorMode mode)
    {
        if (mode == ColorMode.Grayscale) return [picture.ToGray().Pixels];
        int n = picture.Width * picture.Height;
        byte[][] planes = [new byte[n], new byte[n], new byte[n]];
        ReadOnlySpan<byte> p = picture.Pixels;
        for (int i = 0; i < n; i++)
        {
            planes[0][i] = p[3 * i];
            planes[1][i] = p[3 * i + 1];
            planes[2][i] = p[3 * i + 2];
        }
        return planes;
    }

    /// <summary>Bilinear interpolation at (x, y) in pixel-centre coordinates; outside the image the edge is repeated.</summary>
    private static float Bilinear(byte[] plane, int w, int h, double x, double y)
    {
        // Snap coordinates within rounding error of a pixel centre (an exact flip or shift must copy, not blend).
        x = Math.Clamp(Math.Abs(x - Math.Round(x)) < 1e-9 ? Math.Round(x) : x, 0, w - 1);
        y = Math.Clamp(Math.Abs(y - Math.Round(y)) < 1e-9 ? Math.Round(y) : y, 0, h - 1);
        int x0 = (int)x, y0 = (int)y, x1 = Math.Min(x0 + 1, w - 1), y1 = Math.Min(y0 + 1, h - 1);
        float fx = (float)(x - x0), fy = (float)(y - y0);
        float top = plane[y0 * w + x0] + fx * (plane[y0 * w + x1] - plane[y0 * w + x0]);
        float bottom = plane[y1 * w + x0] + fx * (plane[y1 * w + x1] - plane[y1 * w + x0]);
        return top + fy * (bottom - top);
    }
}
