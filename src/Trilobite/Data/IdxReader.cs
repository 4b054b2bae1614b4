using System.Buffers.Binary;
using System.IO.Compression;

namespace Trilobite.Data;

/// <summary>
/// Reads IDX files, the MNIST file format: a big-endian header (magic, then one 32-bit size
/// per dimension) followed by the payload. Files may be gzip-compressed or raw; gzip is
/// detected by its magic bytes <c>1f 8b</c>, not by the file name.
/// </summary>
/// <remarks>
/// The reader is strict, because an IDX file may come from anywhere: the header must announce
/// unsigned bytes with 1 dimension (labels, magic <c>0x00000801</c>) or 3 dimensions (images,
/// magic <c>0x00000803</c>), every dimension must be positive, the total must stay below
/// <see cref="MaxElements"/>, and the payload must be exactly as long as the header promises.
/// Memory is allocated as data actually arrives, so a lying header cannot make the reader
/// allocate more than the file holds. Every problem is an <see cref="InvalidDataException"/>
/// whose message starts with the file's path.
/// <code>
/// IdxArray images = IdxReader.Read("train-images-idx3-ubyte.gz"); // images.Dimensions = [60000, 28, 28]
/// </code>
/// </remarks>
public static class IdxReader
{
    /// <summary>Magic number of an IDX file of unsigned bytes with 3 dimensions (images).</summary>
    public const int ImagesMagic = 0x00000803;

    /// <summary>Magic number of an IDX file of unsigned bytes with 1 dimension (labels).</summary>
    public const int LabelsMagic = 0x00000801;

    /// <summary>The largest payload accepted, in elements (bytes): the largest .NET byte array.</summary>
    public static readonly long MaxElements = Array.MaxLength;

    // Deflate cannot expand data by more than about 1032:1; a header promising more than this
    // many bytes per compressed byte is lying, and is refused before any large allocation.
    const long MaxDeflateRatio = 1032;
    const int ChunkSize = 1 << 20;

    /// <summary>Reads an IDX file (gzip or raw) of either kind.</summary>
    /// <param name="path">The file to read.</param>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    /// <exception cref="InvalidDataException">The file is not a valid IDX file of unsigned bytes.</exception>
    public static IdxArray Read(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        if (!File.Exists(path))
            throw new FileNotFoundException($"{path}: IDX file not found.", path);
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16);
        return Read(stream, path);
    }

    /// <summary>Reads an IDX file and checks that it holds images (<c>N×rows×cols</c>, magic <c>0x00000803</c>).</summary>
    /// <param name="path">The file to read.</param>
    public static IdxArray ReadImages(string path) => Expect(Read(path), ImagesMagic, path);

    /// <summary>Reads an IDX file and checks that it holds labels (<c>N</c>, magic <c>0x00000801</c>).</summary>
    /// <param name="path">The file to read.</param>
    public static IdxArray ReadLabels(string path) => Expect(Read(path), LabelsMagic, path);

    /// <summary>Reads IDX data (gzip or raw) from a seekable stream positioned at its start.</summary>
    /// <param name="stream">The stream; it must support seeking. It is not disposed.</param>
    /// <param name="name">The name used in error messages, normally the file's path.</param>
    /// <exception cref="InvalidDataException">The data is not a valid IDX file of unsigned bytes.</exception>
    public static IdxArray Read(Stream stream, string name)
    {
        ArgumentNullException.ThrowIfNull(stream);
        if (!stream.CanSeek)
            throw new ArgumentException($"{name}: the stream must support seeking.", nameof(stream));

        long start = stream.Position;
        Span<byte> magic = stackalloc byte[2];
        int got = stream.ReadAtLeast(magic, 2, throwOnEndOfStream: false);
        stream.Position = start;
        long fileLength = stream.Length - start;
        if (got == 2 && magic[0] == 0x1f && magic[1] == 0x8b)
        {
            using var gzip = new GZipStream(stream, CompressionMode.Decompress, leaveOpen: true);
            try
            {
                return ReadBody(gzip, name, compressedLength: fileLength, rawLength: null);
            }
            catch (Exception e) when (e is IOException || (e is InvalidDataException && !e.Message.StartsWith(name + ":", StringComparison.Ordinal)))
            {
                throw new InvalidDataException($"{name}: corrupt gzip data ({e.Message}).", e);
            }
        }
        return ReadBody(stream, name, compressedLength: null, rawLength: fileLength);
    }

    static IdxArray ReadBody(Stream s, string name, long? compressedLength, long? rawLength)
    {
        // Header: 4-byte magic (0, 0, type, ndims), then ndims big-endian int32 sizes.
        Span<byte> head = stackalloc byte[4];
        int got = s.ReadAtLeast(head, 4, throwOnEndOfStream: false);
        if (got < 4)
            throw Bad(name, $"truncated: file has {got} bytes, an IDX header needs at least 8");
        int magic = BinaryPrimitives.ReadInt32BigEndian(head);
        if (head[0] != 0 || head[1] != 0)
            throw Bad(name, $"not an IDX file: magic is 0x{magic:X8}, expected 0x{ImagesMagic:X8} (images) or 0x{LabelsMagic:X8} (labels)");
        if (head[2] != 0x08)
            throw Bad(name, $"unsupported element type 0x{head[2]:X2} in magic 0x{magic:X8}: only unsigned bytes (0x08) are supported");
        if (magic != ImagesMagic && magic != LabelsMagic)
            throw Bad(name, $"unsupported magic 0x{magic:X8} ({head[3]} dimensions): expected 0x{ImagesMagic:X8} (images, 3 dimensions) or 0x{LabelsMagic:X8} (labels, 1 dimension)");

        int rank = head[3];
        Span<byte> dimBytes = stackalloc byte[4 * rank];
        got = s.ReadAtLeast(dimBytes, dimBytes.Length, throwOnEndOfStream: false);
        if (got < dimBytes.Length)
            throw Bad(name, $"truncated: the header needs {4 + dimBytes.Length} bytes, file has {4 + got}");
        var dims = new int[rank];
        for (int i = 0; i < rank; i++)
        {
            dims[i] = BinaryPrimitives.ReadInt32BigEndian(dimBytes[(4 * i)..]);
            if (dims[i] <= 0)
                throw Bad(name, $"dimension {i} is {dims[i]}; every dimension must be positive (header: {string.Join('×', dims[..(i + 1)])})");
        }
        string shape = string.Join('×', dims);
        long total = 1;
        foreach (int d in dims)
        {
            total *= d; // both factors < 2^31 and total <= MaxElements before: no overflow
            if (total > MaxElements)
                throw Bad(name, $"absurd size: header promises {shape} elements, more than the limit of {MaxElements}");
        }
        string what = rank == 3 ? "of pixels" : "of labels";
        string promise = rank == 1 ? $"{total} bytes {what}" : $"{shape} = {total} bytes {what}";

        long headerLength = 4 + 4L * rank;
        if (rawLength is long raw && raw - headerLength < total)
            throw Bad(name, $"truncated: header promises {promise}, file has {Math.Max(0, raw - headerLength)}");
        if (compressedLength is long packed && total > packed * MaxDeflateRatio)
            throw Bad(name, $"truncated: header promises {promise}, but a {packed}-byte gzip file cannot hold that much");

        byte[] data = ReadPayload(s, (int)total, name, promise, raw: rawLength is not null);
        ExpectEnd(s, name, promise);
        return new IdxArray(dims, data);
    }

    // Reads exactly `total` bytes in chunks, growing the buffer only as data arrives.
    static byte[] ReadPayload(Stream s, int total, string name, string promise, bool raw)
    {
        byte[] buffer = new byte[raw ? total : Math.Min(total, ChunkSize)];
        int filled = 0;
        while (filled < total)
        {
            if (filled == buffer.Length)
                Array.Resize(ref buffer, (int)Math.Min(total, 2L * buffer.Length));
            int n = s.Read(buffer, filled, Math.Min(buffer.Length - filled, ChunkSize));
            if (n == 0)
                throw Bad(name, $"truncated: header promises {promise}, file has {filled}");
            filled += n;
        }
        return buffer;
    }

    static void ExpectEnd(Stream s, string name, string promise)
    {
        Span<byte> scratch = stackalloc byte[4096];
        long extra = 0;
        int n;
        while ((n = s.Read(scratch)) > 0)
        {
            extra += n;
            if (extra >= ChunkSize)
                throw Bad(name, $"trailing bytes: header promises {promise}, file has at least {extra} bytes more");
        }
        if (extra > 0)
            throw Bad(name, $"trailing bytes: header promises {promise}, file has {extra} bytes more");
    }

    static IdxArray Expect(IdxArray array, int magic, string path)
    {
        int rank = magic == ImagesMagic ? 3 : 1;
        if (array.Dimensions.Length != rank)
        {
            string wanted = magic == ImagesMagic ? "images (magic 0x00000803, N×rows×cols)" : "labels (magic 0x00000801, N)";
            string found = array.Dimensions.Length == 3 ? "images" : "labels";
            throw Bad(path, $"expected {wanted}, found {found} of shape {array.ShapeText}");
        }
        return array;
    }

    static InvalidDataException Bad(string name, string what) => new($"{name}: {what}.");
}
