namespace Trilobite.Vision.Imaging;

/// <summary>An 8-bit RGB image, row-major, channels interleaved (R, G, B), no padding.</summary>
public sealed class RgbImage
{
    /// <summary>Wraps <paramref name="pixels"/> (not copied). Throws when the length is not width × height × 3.</summary>
    public RgbImage(int width, int height, byte[] pixels)
    {
        ArgumentNullException.ThrowIfNull(pixels);
        if (width <= 0 || height <= 0)
            throw new ArgumentOutOfRangeException(nameof(width), $"RgbImage: size must be positive, got {width}x{height}.");
        if ((long)width * height * 3 != pixels.Length)
            throw new ArgumentException($"RgbImage: {width}x{height} needs {(long)width * height * 3} bytes, got {pixels.Length}.", nameof(pixels));
        Width = width;
        Height = height;
        Pixels = pixels;
    }

    /// <summary>Width in pixels.</summary>
    public int Width { get; }
    /// <summary>Height in pixels.</summary>
    public int Height { get; }
    /// <summary>The pixels, row-major, R, G, B interleaved (<see cref="Width"/> × <see cref="Height"/> × 3 bytes); writes change the image.</summary>
    public byte[] Pixels { get; }

    /// <summary>
    /// Grey as OpenCV's <c>cvtColor(COLOR_RGB2GRAY)</c> for 8-bit images: Y = 0.299 R + 0.587 G + 0.114 B in 15-bit
    /// fixed point, Y = (9798 R + 19235 G + 3735 B + 2^14) >> 15 (checked bit-exact against OpenCV 4.6).
    /// </summary>
    public GrayImage ToGray()
    {
        var grey = new byte[Width * Height];
        ReadOnlySpan<byte> p = Pixels;
        for (int i = 0, j = 0; i < grey.Length; i++, j += 3)
            grey[i] = (byte)((9798 * p[j] + 19235 * p[j + 1] + 3735 * p[j + 2] + (1 << 14)) >> 15);
        return new GrayImage(Width, Height, grey);
    }

    /// <summary>Draws the outline of a rectangle, <paramref name="thickness"/> pixels inwards, clipped to the image.</summary>
    public void DrawRectangle(int x, int y, int width, int height, byte r, byte g, byte b, int thickness = 2)
    {
        for (int t = 0; t < thickness; t++)
        {
            int x0 = x + t, y0 = y + t, x1 = x + width - 1 - t, y1 = y + height - 1 - t;
            if (x0 > x1 || y0 > y1) break;
            for (int xx = x0; xx <= x1; xx++) { Put(xx, y0, r, g, b); Put(xx, y1, r, g, b); }
            for (int yy = y0; yy <= y1; yy++) { Put(x0, yy, r, g, b); Put(x1, yy, r, g, b); }
        }
    }

    private void Put(int x, int y, byte r, byte g, byte b)
    {
        if ((uint)x >= (uint)Width || (uint)y >= (uint)Height) return;
        int i = 3 * (y * Width + x);
        Pixels[i] = r;
        Pixels[i + 1] = g;
        Pixels[i + 2] = b;
    }
}
