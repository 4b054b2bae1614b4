namespace Trilobite.Vision.Imaging;

/// <summary>An 8-bit single-channel image, row-major, no padding: pixel (x, y) is <c>Pixels[y * Width + x]</c>.</summary>
public sealed class GrayImage
{
    /// <summary>Wraps <paramref name="pixels"/> (not copied). Throws when the length is not width × height.</summary>
    public GrayImage(int width, int height, byte[] pixels)
    {
        ArgumentNullException.ThrowIfNull(pixels);
        if (width <= 0 || height <= 0)
            throw new ArgumentOutOfRangeException(nameof(width), $"GrayImage: size must be positive, got {width}x{height}.");
        if ((long)width * height != pixels.Length)
            throw new ArgumentException($"GrayImage: {width}x{height} needs {(long)width * height} bytes, got {pixels.Length}.", nameof(pixels));
        Width = width;
        Height = height;
        Pixels = pixels;
    }

    /// <summary>A black image of the given size.</summary>
    public GrayImage(int width, int height) : this(width, height, new byte[checked(width * height)]) { }

    /// <summary>Width in pixels.</summary>
    public int Width { get; }
    /// <summary>Height in pixels.</summary>
    public int Height { get; }
    /// <summary>The grey levels, row-major (<see cref="Width"/> × <see cref="Height"/> bytes); writes change the image.</summary>
    public byte[] Pixels { get; }

    /// <summary>The pixel at column <paramref name="x"/>, row <paramref name="y"/> (not range-checked beyond the array's bounds).</summary>
    public byte this[int x, int y]
    {
        get => Pixels[y * Width + x];
        set => Pixels[y * Width + x] = value;
    }

    /// <summary>Copies the sub-image at (x, y) of the given size; throws when it leaves the image.</summary>
    public GrayImage Crop(int x, int y, int width, int height)
    {
        if (x < 0 || y < 0 || width <= 0 || height <= 0 || x + width > Width || y + height > Height)
            throw new ArgumentOutOfRangeException(nameof(x), $"Crop ({x},{y},{width}x{height}) leaves the {Width}x{Height} image.");
        var dst = new byte[width * height];
        for (int r = 0; r < height; r++)
            Pixels.AsSpan((y + r) * Width + x, width).CopyTo(dst.AsSpan(r * width, width));
        return new GrayImage(width, height, dst);
    }

    /// <summary>Bilinear resize, bit-exact with OpenCV's <c>resize(..., INTER_LINEAR_EXACT)</c>.</summary>
    public GrayImage Resize(int width, int height)
    {
        var dst = new byte[checked(width * height)];
        LinearResize.Resize(Pixels, Width, Height, dst, width, height);
        return new GrayImage(width, height, dst);
    }

    /// <summary>The same grey levels as a three-channel image (to draw coloured boxes on).</summary>
    public RgbImage ToRgb()
    {
        var rgb = new byte[Pixels.Length * 3];
        for (int i = 0; i < Pixels.Length; i++)
            rgb[3 * i] = rgb[3 * i + 1] = rgb[3 * i + 2] = Pixels[i];
        return new RgbImage(Width, Height, rgb);
    }
}
