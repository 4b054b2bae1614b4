using Trilobite.Vision.Imaging;

namespace Trilobite.Plotting.Tests;

/// <summary>A rendered chart read back as pixels, and colour tests that tolerate anti-aliasing.</summary>
internal static class Png
{
    public static RgbImage Decode(ScottPlot.Image image)
    {
        string path = Path.Combine(Path.GetTempPath(), $"trilobite-plot-{Guid.NewGuid():N}.png");
        try
        {
            File.WriteAllBytes(path, image.GetImageBytes(ScottPlot.ImageFormat.Png));
            return ImageFile.Load(path);
        }
        finally { File.Delete(path); }
    }

    public static (int R, int G, int B) At(RgbImage image, float x, float y)
    {
        int i = ((int)MathF.Round(y) * image.Width + (int)MathF.Round(x)) * 3;
        return (image.Pixels[i], image.Pixels[i + 1], image.Pixels[i + 2]);
    }

    /// <summary>Whether a pixel within <paramref name="radius"/> of (x, y) has colour <paramref name="c"/> within <paramref name="tolerance"/> per channel.</summary>
    public static bool Near(RgbImage image, ScottPlot.Pixel p, ScottPlot.Color c, int radius = 2, int tolerance = 40)
    {
        for (int dy = -radius; dy <= radius; dy++)
            for (int dx = -radius; dx <= radius; dx++)
            {
                var (r, g, b) = At(image, p.X + dx, p.Y + dy);
                if (Math.Abs(r - c.R) <= tolerance && Math.Abs(g - c.G) <= tolerance && Math.Abs(b - c.B) <= tolerance) return true;
            }
        return false;
    }
}
