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
            header = JsonNode.Parse(file.Slice(8, (int)headerLength), documentOptions: new JsonDocumentOptions { MaxDepth = 8 }) as JsonObject
                ?? throw Bad(source, "the header is not a JSON object.");
        }
        catch (JsonException e) { throw Bad(source, $"the header is not valid JSON ({e.Message})."); }
        var data = file[(8 + (int)headerLength)..];
        var result = new Dictionary<string, (int[], float[])>();
        foreach (var (name, node) in header)
        {
            if (name == "__metadata__") continue;
            if (node is not JsonObject entry) throw Bad(source, $"entry '{name}' is not an object.");
            try
            {
                if (entry["dtype"]?.GetValue<string>() != "F32") throw Bad(source, $"tensor '{name}' has dtype {entry["dtype"]?.ToJsonString() ?? "none"}; only F32 is supported.");
                int[] shape = entry["shape"]!.AsArray().Select(d => d!.GetValue<int>()).ToArray();
                long[] offsets = entry["data_offsets"]!.AsArray().Select(d => d!.GetValue<long>()).ToArray();
                long count = shape.Aggregate(1L, (a, d) => d < 0 ? throw Bad(source, $"tensor '{name}' has a negative dimension.") : a * d);
                if (offsets.Length != 2 || offsets[0] < 0 || offsets[1] < offsets[0] || offsets[1] > data.Length || offsets[1] - offsets[0] != count * 4)
                    throw Bad(source, $"tensor '{name}' of shape {ShapeText.Of(shape)} has data offsets [{string.Join(", ", offsets)}] that do not fit {count} floats in {data.Length} data bytes.");
                var values = new float[count];
                data.Slice((int)offsets[0], (int)(count * 4)).CopyTo(MemoryMarshal.AsBytes(values.AsSpan()));
                result[name] = (shape, values);
            }
            catch (Exception e) when (e is InvalidOperationException or FormatException or NullReferenceException)
            {
                throw Bad(source, $"tensor '{name}' has a malformed entry ({e.Message}).");
            }
        }
        return result;
    }

    private static InvalidDataException Bad(string source, string what) => new($"{source}: {what}");
}
