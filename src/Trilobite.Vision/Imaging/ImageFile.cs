using Trilobite.Serialization;
using StbImageSharp;
using StbImageWriteSharp;

namespace Trilobite.Vision.Imaging;

/// <summary>
/// Reads PNG and JPEG (and the other formats stb_image knows) with the managed StbImageSharp decoder and writes PNG
/// with StbImageWriteSharp. A file that is not a readable image gets an <see cref="InvalidDataException"/> naming it:
/// one that is truncated or damaged (see <see cref="ImageIntegrity"/>), or whose header promises more pixels than
/// <see cref="MaxDecodedBytes"/> allows, is refused before any pixel is decoded.
/// </summary>
public static class ImageFile
{
    /// <summary>
    /// Largest decoded image accepted, width × height × 3 bytes: 192 MiB, a 64-megapixel photo (8192 × 8192). A header
    /// may claim any size; this bounds what decoding it, and the detectors after it, can allocate.
    /// </summary>
    public const long MaxDecodedBytes = 3L << 26;

    /// <summary>The same bound in pixels.</summary>
    public const long MaxPixels = MaxDecodedBytes / 3;

    /// <summary>Loads an image file as RGB (grey files are expanded to three equal channels; alpha is dropped).</summary>
    public static RgbImage Load(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        byte[] bytes;
        try { bytes = File.ReadAllBytes(path); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new FileNotFoundException($"{path}: cannot read the image file ({ErrorText.Of(e)}).", path, e);
        }
        return Decode(bytes, path);
    }

    /// <summary>The width and height an encoded image's header declares, read without decoding any pixel; null when no header is recognised.</summary>
    public static (int Width, int Height)? PeekSize(byte[] bytes)
    {
        ArgumentNullException.ThrowIfNull(bytes);
        try { return ImageHeader.Read(bytes) is { } info ? (info.Width, info.Height) : null; }
        catch (Exception e) when (e is not OutOfMemoryException) { return null; }
    }

    /// <summary>Decodes an encoded image held in memory; <paramref name="name"/> is used in error messages.</summary>
    public static RgbImage Decode(byte[] bytes, string name = "<memory>")
    {
        ArgumentNullException.ThrowIfNull(bytes);
        ImageInfo? info;
        try { info = ImageHeader.Read(bytes); }
        catch (Exception e) when (e is not OutOfMemoryException) { throw Invalid(name, ErrorText.Of(e), e); }
        if (info is null)
            throw Invalid(name, "not a readable PNG, JPEG, BMP, GIF, TGA or PSD header (or one declaring more than 1 GiB of pixels)");
        var i = info.Value;
        if (i.Width <= 0 || i.Height <= 0)
            throw Invalid(name, $"implausible image size {i.Width}x{i.Height}");
        long decoded = (long)i.Width * i.Height * 3;
        if (decoded > MaxDecodedBytes)
            throw Invalid(name, $"{i.Width}x{i.Height} pixels would decode to {decoded:N0} bytes, more than the {MaxDecodedBytes:N0}-byte limit ({MaxPixels:N0} pixels); downscale it first");
        if (ImageIntegrity.Problem(bytes) is { } problem) throw Invalid(name, problem);
        if (ImageExpansion.Problem(bytes, i.Width, i.Height) is { } bomb) throw Invalid(name, bomb);

        ImageResult result;
        try { result = ImageResult.FromMemory(bytes, StbImageSharp.ColorComponents.RedGreenBlue); }
        catch (Exception e) when (e is not OutOfMemoryException) { throw Invalid(name, ErrorText.Of(e), e); }
        if (result?.Data is null || result.Width != i.Width || result.Height != i.Height
            || result.Data.Length != (long)result.Width * result.Height * 3)
            throw Invalid(name, "the decoder returned no or inconsistent pixel data");
        return new RgbImage(result.Width, result.Height, result.Data);
    }

    /// <summary>Writes the image as an 8-bit RGB PNG, atomically (a reader never sees half a file).</summary>
    public static void SavePng(RgbImage image, string path)
    {
        ArgumentNullException.ThrowIfNull(image);
        AtomicFile.Write(path, stream => new ImageWriter().WritePng(image.Pixels, image.Width, image.Height,
            StbImageWriteSharp.ColorComponents.RedGreenBlue, stream));
    }

    /// <summary>
    /// Writes a grey image as an 8-bit grey PNG: atomically, or with <paramref name="atomic"/> false straight to the file
    /// (for the thousands of files of a dataset whose index, written last and atomically, says whether it is complete:
    /// flushing each to disk made writing 20,000 scenes three times slower).
    /// </summary>
    public static void SavePng(GrayImage image, string path, bool atomic = true)
    {
        ArgumentNullException.ThrowIfNull(image);
        void Write(Stream stream) => new ImageWriter().WritePng(image.Pixels, image.Width, image.Height, StbImageWriteSharp.ColorComponents.Grey, stream);
        if (atomic) { AtomicFile.Write(path, Write); return; }
        using var file = File.Create(path);
        Write(file);
    }

    private static InvalidDataException Invalid(string name, string why, Exception? inner = null) =>
        new($"{name}: cannot decode the image: {why}.", inner);
}
