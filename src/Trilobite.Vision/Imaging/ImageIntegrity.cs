using System.Buffers.Binary;
using System.IO.Hashing;

namespace Trilobite.Vision.Imaging;

/// <summary>
/// Whether an encoded image is whole. stb_image decodes a truncated PNG or JPEG without complaint, filling what is
/// missing with grey, so a half-copied file would train as a grey picture. This walks the container (PNG chunks with
/// their CRCs up to IEND; JPEG segments up to the scan, then the end-of-image marker; BMP's declared size; GIF's
/// trailer) without decoding any pixels.
/// </summary>
internal static class ImageIntegrity
{
    private static ReadOnlySpan<byte> PngSignature => [0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A];

    /// <summary>Null when the file's structure is complete, else what is wrong.</summary>
    public static string? Problem(ReadOnlySpan<byte> file)
    {
        if (file.StartsWith(PngSignature)) return Png(file);
        if (file.Length >= 2 && file[0] == 0xFF && file[1] == 0xD8) return Jpeg(file);
        if (file.Length >= 6 && file[0] == 'B' && file[1] == 'M') return Bmp(file);
        // Some encoders pad the file with zero bytes after the trailer.
        if (file.StartsWith("GIF8"u8)) return file.TrimEnd((byte)0) is [.., 0x3B] ? null : "truncated: the GIF has no trailer byte";
        return null;   // TGA and PSD have no end marker; their decoders check lengths themselves
    }

    private static string? Png(ReadOnlySpan<byte> file)
    {
        int at = PngSignature.Length;
        while (true)
        {
            if (file.Length - at < 12) return "truncated: the PNG ends before its IEND chunk";
            uint length = BinaryPrimitives.ReadUInt32BigEndian(file[at..]);
            if (length > int.MaxValue || length > file.Length - at - 12) return $"truncated: the PNG ends inside a {ChunkType(file.Slice(at + 4, 4))} chunk";
            var typeAndData = file.Slice(at + 4, 4 + (int)length);
            uint stored = BinaryPrimitives.ReadUInt32BigEndian(file[(at + 8 + (int)length)..]);
            if (Crc32.HashToUInt32(typeAndData) != stored) return $"damaged: the PNG's {ChunkType(typeAndData[..4])} chunk fails its CRC";
            if (typeAndData[..4].SequenceEqual("IEND"u8)) return null;
            at += 12 + (int)length;
        }
    }

    private static string ChunkType(ReadOnlySpan<byte> type)
    {
        foreach (byte b in type) if (!char.IsAsciiLetter((char)b)) return "malformed";
        return System.Text.Encoding.ASCII.GetString(type);
    }

    /// <summary>Walks the marker segments to the first start-of-scan, then needs an end-of-image marker after it.</summary>
    private static string? Jpeg(ReadOnlySpan<byte> file)
    {
        int at = 2;
        while (true)
        {
            while (at < file.Length && file[at] == 0xFF && at + 1 < file.Length && file[at + 1] == 0xFF) at++;   // fill bytes
            if (file.Length - at < 4) return "truncated: the JPEG ends before its image data";
            if (file[at] != 0xFF) return "damaged: the JPEG has no marker where a segment should start";
            byte marker = file[at + 1];
            if (marker == 0xD9) return "damaged: the JPEG ends before its image data";
            if (marker is 0x01 or (>= 0xD0 and <= 0xD7)) { at += 2; continue; }   // markers without a length
            int length = BinaryPrimitives.ReadUInt16BigEndian(file[(at + 2)..]);
            if (length < 2 || at + 2 + length > file.Length) return "truncated: the JPEG ends inside a header segment";
            at += 2 + length;
            if (marker == 0xDA) break;   // start of scan: entropy-coded data follows
        }
        // Entropy-coded data cannot hold 0xFF 0xD9 (0xFF is stuffed as 0xFF 0x00), so the first one after the scan
        // header is the end of the image (an EXIF thumbnail's own marker lies before it, inside APP1).
        return file[at..].IndexOf([(byte)0xFF, (byte)0xD9]) >= 0 ? null : "truncated: the JPEG has no end-of-image marker";
    }

    private static string? Bmp(ReadOnlySpan<byte> file)
    {
        if (file.Length < 14) return "truncated: the BMP ends inside its header";
        uint declared = BinaryPrimitives.ReadUInt32LittleEndian(file[2..]);
        uint pixels = BinaryPrimitives.ReadUInt32LittleEndian(file[10..]);
        // Some writers leave the size 0; the pixel offset must still lie inside the file.
        if (declared > file.Length || pixels >= file.Length) return $"truncated: the BMP declares {declared} bytes but has {file.Length}";
        return null;
    }
}
