using System.Buffers.Binary;

namespace Trilobite.Vision.Imaging;

/// <summary>
/// Whether a file this size could hold the pixels its header declares. A header may claim any size up to
/// <see cref="ImageFile.MaxDecodedBytes"/>, and the decoder allocates the whole image before it finds the data missing:
/// a 4 KB BMP that says it is 40 × 1,048,606 would cost 126 MB. Uncompressed formats must hold every pixel; compressed
/// ones cannot expand beyond their codec's best case (deflate 1032:1, a JPEG block needs at least one bit, an RLE packet
/// yields at most 128 pixels, an LZW code at most 4,096), so what decoding allocates is bounded by the file's size.
/// </summary>
internal static class ImageExpansion
{
    /// <summary>Deflate's largest expansion: a 258-byte match coded in about two bits.</summary>
    private const long DeflateRatio = 1032;

    /// <summary>Allowance for headers and tiny images, so the bounds only bite on claims far beyond the data.</summary>
    private const long Slack = 4096;

    /// <summary>Null when <paramref name="width"/> × <paramref name="height"/> could come out of <paramref name="file"/>, else why not.</summary>
    public static string? Problem(ReadOnlySpan<byte> file, int width, int height)
    {
        long pixels = (long)width * height;
        if (file.Length >= 33 && file[..8].SequenceEqual((ReadOnlySpan<byte>)[0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A])) return Png(file, width, height);
        if (file.Length >= 2 && file[0] == 0xFF && file[1] == 0xD8)
            // Every 8 × 8 block of the image's full-resolution component codes at least one bit (its DC difference).
            return Claim(((width + 7L) / 8) * ((height + 7L) / 8), 8L * file.Length, file, "JPEG", width, height, "each 8×8 block takes at least one bit");
        if (file.Length >= 30 && file[0] == 'B' && file[1] == 'M') return Bmp(file, width, height);
        if (file.StartsWith("GIF8"u8)) return Claim(pixels, 4096L * file.Length * 8 / 3, file, "GIF", width, height, "an LZW code of 3 bits or more yields at most 4,096 pixels");
        if (file.StartsWith("8BPS"u8)) return Claim(pixels, 64L * file.Length, file, "PSD", width, height, "a PackBits pair yields at most 128 bytes");
        if (file.Length >= 18) return Tga(file, width, height);
        return null;
    }

    private static string? Claim(long needed, long possible, ReadOnlySpan<byte> file, string format, int width, int height, string why) =>
        needed <= possible + Slack ? null
            : $"damaged: {file.Length:N0} bytes of {format} cannot hold {width}x{height} pixels ({why})";

    /// <summary>The scanlines' bytes (IHDR's bit depth and colour type) against what deflate can make of all IDAT chunks.</summary>
    private static string? Png(ReadOnlySpan<byte> file, int width, int height)
    {
        int bitDepth = file[24], colorType = file[25];
        int channels = colorType switch { 2 => 3, 4 => 2, 6 => 4, _ => 1 };
        long rawBytes = ((long)width * channels * bitDepth + 7) / 8 * height;
        long compressed = 0;
        for (long at = 8; at + 8 <= file.Length; )   // ImageIntegrity has walked these chunks already: each fits the file
        {
            long length = BinaryPrimitives.ReadUInt32BigEndian(file[(int)at..]);
            if (file.Slice((int)at + 4, 4).SequenceEqual("IDAT"u8)) compressed += length;
            at += 12 + length;
        }
        return rawBytes <= DeflateRatio * compressed + Slack ? null
            : $"damaged: the PNG's {compressed:N0} bytes of compressed pixels cannot hold {width}x{height} pixels of {channels * bitDepth} bits (deflate expands at most {DeflateRatio}:1)";
    }

    /// <summary>Uncompressed BMPs hold every row (padded to 4 bytes); RLE ones yield at most 255 pixels per 2-byte code.</summary>
    private static string? Bmp(ReadOnlySpan<byte> file, int width, int height)
    {
        uint offset = BinaryPrimitives.ReadUInt32LittleEndian(file[10..]);
        int bitsPerPixel = BinaryPrimitives.ReadUInt16LittleEndian(file[28..]);
        uint compression = file.Length >= 34 ? BinaryPrimitives.ReadUInt32LittleEndian(file[30..]) : 0;
        if (compression is 1 or 2) return Claim((long)width * height, 128L * file.Length, file, "run-length BMP", width, height, "a 2-byte code yields at most 255 pixels");
        if (compression is not (0 or 3 or 6)) return null;   // JPEG or PNG inside a BMP: their own decoders check
        long stride = ((long)width * Math.Max(1, bitsPerPixel) + 31) / 32 * 4;
        long needed = offset + stride * (height - 1) + ((long)width * Math.Max(1, bitsPerPixel) + 7) / 8;
        return needed <= file.Length ? null : $"truncated: the BMP's {width}x{height} pixels need {needed:N0} bytes, and the file has {file.Length:N0}";
    }

    /// <summary>Uncompressed TGAs (types 1–3) hold every pixel; RLE ones (9–11) yield at most 128 pixels per packet of two bytes or more.</summary>
    private static string? Tga(ReadOnlySpan<byte> file, int width, int height)
    {
        int type = file[2], depth = file[16];
        long pixels = (long)width * height;
        if (type is 9 or 10 or 11) return Claim(pixels, 64L * file.Length, file, "run-length TGA", width, height, "a packet of two bytes or more yields at most 128 pixels");
        if (type is not (1 or 2 or 3)) return null;
        long colorMap = file[1] == 1 ? BinaryPrimitives.ReadUInt16LittleEndian(file[5..]) * ((file[7] + 7L) / 8) : 0;
        long needed = 18 + file[0] + colorMap + pixels * ((Math.Max(1, depth) + 7) / 8);
        return needed <= file.Length ? null : $"truncated: the TGA's {width}x{height} pixels need {needed:N0} bytes, and the file has {file.Length:N0}";
    }
}
