using StbImageSharp;
using StbImageWriteSharp;

namespace Trilobite.Vision.Imaging;

/// <summary>
/// Reads PNG and JPEG (and the other formats stb_image knows) with the managed StbImageSharp decoder and writes PNG
/// with StbImageWriteSharp. A file that is not a readable image gets an <see cref="InvalidDataException"/> naming it.
/// </summary>
public static class ImageFile
{
    /// <summary>Largest image accepted, in pixels (a guard against a header that claims gigapixels).</summary>
    public const long MaxPixels = 1L << 28;

    /// <summary>Loads an image file as RGB (grey files are expanded to three equal channels; alpha is dropped).</summary>
    public static RgbImage Load(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        byte[] bytes;
        try { bytes = File.ReadAllBytes(path); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new FileNotFoundException($"{path}: cannot read the image file ({e.Message}).", path, e);
        }
        return Decode(bytes, path);
    }

    /// <summary>Decodes an encoded image held in memory; <paramref name="name"/> is used in error messages.</summary>
    public static RgbImage Decode(byte[] bytes, string name = "<memory>")
    {
        ArgumentNullException.ThrowIfNull(bytes);
        ImageInfo? info;
        try { info = ImageInfo.FromStream(new MemoryStream(bytes, writable: false)); }
        catch (Exception e) when (e is not OutOfMemoryException) { throw Invalid(name, e.Message, e); }
        if (info is null)
            throw Invalid(name, "not a PNG, JPEG, BMP, GIF, TGA or PSD image (unknown header)");
        var i = info.Value;
        if (i.Width <= 0 || i.Height <= 0 || (long)i.Width * i.Height > MaxPixels)
            throw Invalid(name, $"implausible image size {i.Width}x{i.Height} (at most {MaxPixels} pixels)");

        ImageResult result;
        try { result = ImageResult.FromMemory(bytes, StbImageSharp.ColorComponents.RedGreenBlue); }
        catch (Exception e) when (e is not OutOfMemoryException) { throw Invalid(name, e.Message, e); }
        if (result?.Data is null || result.Width != i.Width || result.Height != i.Height
            || result.Data.Length != (long)result.Width * result.Height * 3)
            throw Invalid(name, "the decoder returned no or inconsistent pixel data");
        return new RgbImage(result.Width, result.Height, result.Data);
    }

    /// <summary>Writes the image as an 8-bit RGB PNG.</summary>
    public static void SavePng(RgbImage image, string path)
    {
        ArgumentNullException.ThrowIfNull(image);
        using var stream = File.Create(path);
        new ImageWriter().WritePng(image.Pixels, image.Width, image.Height,
            StbImageWriteSharp.ColorComponents.RedGreenBlue, stream);
    }

    /// <summary>Writes a grey image as an 8-bit grey PNG.</summary>
    public static void SavePng(GrayImage image, string path)
    {
        ArgumentNullException.ThrowIfNull(image);
        using var stream = File.Create(path);
        new ImageWriter().WritePng(image.Pixels, image.Width, image.Height,
            StbImageWriteSharp.ColorComponents.Grey, stream);
    }

    private static InvalidDataException Invalid(string name, string why, Exception? inner = null) =>
        new($"{name}: cannot decode the image: {why}.", inner);
}
