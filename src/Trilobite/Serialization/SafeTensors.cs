using System.Buffers.Binary;
using System.Runtime.InteropServices;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Trilobite.Serialization;

/// <summary>
/// The safetensors format: an 8-byte little-endian header length, a JSON header mapping each name
/// to {dtype, shape, data_offsets}, then the raw little-endian data. Only F32 is written or read.
/// Reading checks every length and offset before allocating, so a hostile file cannot make it
/// allocate more than the file holds.
/// </summary>
public static class SafeTensors
{
    /// <summary>Largest header accepted (the format's own limit is 100 MB).</summary>
    public const int MaxHeaderBytes = 100_000_000;

    /// <summary>The tensors as a safetensors blob: F32, in the order given, the header padded with spaces so the data is 8-byte aligned. Throws <see cref="PlatformNotSupportedException"/> on a big-endian host.</summary>
    public static byte[] Write(IReadOnlyList<(string Name, int[] Shape, float[] Data)> tensors)
    {
        var header = new JsonObject();
        long offset = 0;
        foreach (var (name, shape, data) in tensors)
        {
            long bytes = (long)data.Length * sizeof(float);
            header[name] = new JsonObject { ["dtype"] = "F32", ["shape"] = Json.Array(shape), ["data_offsets"] = new JsonArray(offset, offset + bytes) };
            offset += bytes;
        }
        byte[] headerBytes = Encoding.UTF8.GetBytes(header.ToJsonString());
        int padded = (headerBytes.Length + 7) / 8 * 8;   // align the data to 8 bytes, padding with spaces as the spec allows
        var result = new byte[8 + padded + offset];
        BinaryPrimitives.WriteUInt64LittleEndian(result, (ulong)padded);
        headerBytes.CopyTo(result, 8);
        result.AsSpan(8 + headerBytes.Length, padded - headerBytes.Length).Fill((byte)' ');
        long position = 8 + padded;
        foreach (var (_, _, data) in tensors)
        {
            var bytes = MemoryMarshal.AsBytes(data.AsSpan());
            if (!BitConverter.IsLittleEndian) throw new PlatformNotSupportedException("Big-endian hosts are not supported.");
            bytes.CopyTo(result.AsSpan((int)position));
            position += bytes.Length;
        }
        return result;
    }

    /// <summary>Parses a safetensors blob; <paramref name="source"/> names it in error messages.</summary>
    public static Dictionary<string, (int[] Shape, float[] Data)> Read(ReadOnlySpan<byte> file, string source)
    {
        if (file.Length < 8) throw Bad(source, $"{file.Length} bytes is too short for a safetensors header.");
        ulong headerLength = BinaryPrimitives.ReadUInt64LittleEndian(file);
        if (headerLength > MaxHeaderBytes || headerLength > (ulong)(file.Length - 8))
            throw Bad(source, $"header length {headerLength} exceeds the file ({file.Length} bytes) or the {MaxHeaderBytes}-byte limit.");
        JsonObject header;
        try
        {
            header = JsonNode.Parse(file.Slice(8, (int)headerLength), documentOptions: new JsonDocumentOptions { MaxDepth = 8, AllowDuplicateProperties = false }) as JsonObject
                ?? throw Bad(source, "the header is not a JSON object.");
        }
        catch (JsonException e) { throw Bad(source, $"the header is not valid JSON ({ErrorText.Of(e)})."); }
        var data = file[(8 + (int)headerLength)..];
        var result = new Dictionary<string, (int[], float[])>();
        var extents = new List<(long Start, long End, string Name)>();
        foreach (var (name, node) in header)
        {
            if (name == "__metadata__") continue;
            string shown = Excerpt.Of(name);
            if (node is not JsonObject entry) throw Bad(source, $"entry '{shown}' is not an object.");
            try
            {
                if (Json.OptionalString(entry, "dtype") != "F32") throw Bad(source, $"tensor '{shown}' has dtype {Excerpt.Of(entry["dtype"]?.ToJsonString() ?? "none")}; only F32 is supported.");
                int[] shape = Json.IntArray(entry, "shape");
                long[] offsets = Json.Array(entry, "data_offsets").Select(d => d is JsonValue v && v.TryGetValue(out long o) ? o : throw Json.Wrong("data_offsets", "two integers", d)).ToArray();
                long count = 1;
                foreach (int d in shape)
                    if (d < 0 || (count *= d) > Array.MaxLength) throw Bad(source, $"tensor '{shown}' has shape {ShapeText.Of(shape)}, which no array holds.");
                if (offsets.Length != 2 || offsets[0] < 0 || offsets[1] < offsets[0] || offsets[1] > data.Length || offsets[1] - offsets[0] != count * 4)
                    throw Bad(source, $"tensor '{shown}' of shape {ShapeText.Of(shape)} has data offsets [{string.Join(", ", offsets.Take(4))}] that do not fit {count} floats in {data.Length} data bytes.");
                var values = new float[count];
                data.Slice((int)offsets[0], (int)(count * 4)).CopyTo(MemoryMarshal.AsBytes(values.AsSpan()));
                result[name] = (shape, values);
                extents.Add((offsets[0], offsets[1], shown));
            }
            catch (InvalidDataException e) when (!e.Message.StartsWith(source, StringComparison.Ordinal))
            {
                throw Bad(source, $"tensor '{shown}': {e.Message}");
            }
        }
        CheckTiling(extents, data.Length, source);
        return result;
    }

    /// <summary>
    /// The spec's rule: the tensors' byte ranges cover the data exactly, without overlaps or gaps. Overlapping ranges
    /// would make two weights alias one another's bytes; a gap would hide data no tensor accounts for.
    /// </summary>
    private static void CheckTiling(List<(long Start, long End, string Name)> extents, int dataLength, string source)
    {
        extents.Sort((a, b) => a.Start != b.Start ? a.Start.CompareTo(b.Start) : a.End.CompareTo(b.End));
        long covered = 0;
        foreach (var (start, end, name) in extents)
        {
            if (start < covered) throw Bad(source, $"tensor '{name}' starts at byte {start}, inside the previous tensor (which ends at {covered}).");
            if (start > covered) throw Bad(source, $"bytes {covered} to {start} belong to no tensor (a gap before '{name}').");
            covered = end;
        }
        if (covered != dataLength) throw Bad(source, $"the tensors cover {covered} of the {dataLength} data bytes.");
    }

    private static InvalidDataException Bad(string source, string what) => new($"{source}: {what}");
}
