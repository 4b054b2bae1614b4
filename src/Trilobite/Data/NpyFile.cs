using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using Trilobite.Serialization;

namespace Trilobite.Data;

/// <summary>
/// NumPy's .npy format (versions 1–3), for tensors that travel between Trilobite and Python: little-endian float32
/// ('&lt;f4') is read and written; float64, int32 and int64 are read as floats. C order only. The header is checked
/// against the file's length before anything is allocated, so a hostile file cannot ask for more memory than it holds.
/// <code>NpyFile.Write("x.npy", tensor);   var (values, shape) = NpyFile.Read("x.npy");</code>
/// </summary>
public static partial class NpyFile
{
    private static readonly byte[] Magic = [0x93, (byte)'N', (byte)'U', (byte)'M', (byte)'P', (byte)'Y'];
    private const int MaxHeaderBytes = 1 << 16;

    /// <summary>Reads <paramref name="path"/>. Throws <see cref="InvalidDataException"/> naming the file for anything that is not a C-order numeric .npy array.</summary>
    public static (float[] Values, int[] Shape) Read(string path)
    {
        using var stream = File.OpenRead(path);
        try
        {
            return Read(stream, stream.Length);
        }
        catch (InvalidDataException e)
        {
            throw new InvalidDataException($"{path}: {e.Message}", e);
        }
        catch (EndOfStreamException)
        {
            throw new InvalidDataException($"{path}: the file ends inside its header or data.");
        }
    }

    /// <summary>Reads a tensor file onto <paramref name="device"/> (default: <see cref="Device.Default"/>).</summary>
    public static Tensor ReadTensor(string path, Device? device = null)
    {
        var (values, shape) = Read(path);
        return Tensor.FromArray(values, shape, device ?? Device.Default);
    }

    private static (float[] Values, int[] Shape) Read(Stream stream, long length)
    {
        var reader = new BinaryReader(stream);
        if (!reader.ReadBytes(6).AsSpan().SequenceEqual(Magic)) throw new InvalidDataException("not a .npy file (no \\x93NUMPY magic).");
        byte major = reader.ReadByte();
        reader.ReadByte();
        long headerLength = major switch
        {
            1 => reader.ReadUInt16(),
            2 or 3 => reader.ReadUInt32(),
            _ => throw new InvalidDataException($"format version {major} is not one of 1, 2, 3."),
        };
        if (headerLength > MaxHeaderBytes || headerLength > length - stream.Position) throw new InvalidDataException($"its header claims {headerLength} bytes.");
        string header = (major == 3 ? Encoding.UTF8 : Encoding.Latin1).GetString(reader.ReadBytes((int)headerLength));
        string descr = Field(header, "descr") ?? throw new InvalidDataException("its header has no 'descr'.");
        if (Field(header, "fortran_order") is not "False") throw new InvalidDataException("it is in Fortran order; only C order is read.");
        var shapeText = ShapePattern().Match(header);
        if (!shapeText.Success) throw new InvalidDataException("its header has no 'shape'.");
        int[] shape = [.. shapeText.Groups[1].Value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(d => int.TryParse(d, NumberStyles.None, CultureInfo.InvariantCulture, out int v) ? v : throw new InvalidDataException($"shape entry '{Excerpt.Of(d)}' is not a size."))];
        int width = descr switch
        {
            "<f4" or "<i4" => 4,
            "<f8" or "<i8" => 8,
            _ => throw new InvalidDataException($"element type '{Excerpt.Of(descr)}' is not read (little-endian float32, float64, int32 or int64 are)."),
        };
        long count = shape.Aggregate(1L, (a, b) => a * b);
        if (count > int.MaxValue || count * width != length - stream.Position)
            throw new InvalidDataException($"shape ({string.Join(", ", shape)}) of '{descr}' needs {count * width} bytes of data, but {length - stream.Position} follow the header.");
        var values = new float[count];
        byte[] data = reader.ReadBytes((int)(count * width));
        for (int i = 0; i < values.Length; i++)
            values[i] = descr switch
            {
                "<f4" => BitConverter.ToSingle(data, i * 4),
                "<i4" => BitConverter.ToInt32(data, i * 4),
                "<f8" => (float)BitConverter.ToDouble(data, i * 8),
                _ => BitConverter.ToInt64(data, i * 8),
            };
        return (values, shape);
    }

    /// <summary>Writes <paramref name="values"/> of <paramref name="shape"/> as a version-1 float32 .npy file, atomically.</summary>
    public static void Write(string path, float[] values, int[] shape)
    {
        ArgumentNullException.ThrowIfNull(values);
        ArgumentNullException.ThrowIfNull(shape);
        if (shape.Aggregate(1L, (a, b) => a * b) != values.Length) throw new ArgumentException($"Shape ({string.Join(", ", shape)}) does not hold {values.Length} values.", nameof(shape));
        string dims = shape.Length == 1 ? $"{shape[0]}," : string.Join(", ", shape);
        string text = $"{{'descr': '<f4', 'fortran_order': False, 'shape': ({dims}), }}";
        int padded = (Magic.Length + 4 + text.Length + 1 + 63) / 64 * 64;   // header + '\n' to a multiple of 64, as NumPy writes
        string header = text.PadRight(padded - Magic.Length - 4 - 1) + "\n";
        AtomicFile.Write(path, stream =>
        {
            var writer = new BinaryWriter(stream);
            writer.Write(Magic);
            writer.Write((byte)1);
            writer.Write((byte)0);
            writer.Write((ushort)header.Length);
            writer.Write(Encoding.Latin1.GetBytes(header));
            var bytes = new byte[values.Length * sizeof(float)];
            Buffer.BlockCopy(values, 0, bytes, 0, bytes.Length);
            writer.Write(bytes);
            writer.Flush();
        });
    }

    /// <summary>Writes a tensor (copied to the host) as float32 .npy.</summary>
    public static void Write(string path, Tensor tensor) => Write(path, tensor.ToArray(), tensor.ShapeArray);

    private static string? Field(string header, string key)
    {
        var m = Regex.Match(header, $"'{key}'\\s*:\\s*('([^']*)'|True|False)");
        return !m.Success ? null : m.Groups[2].Success && m.Groups[1].Value.StartsWith('\'') ? m.Groups[2].Value : m.Groups[1].Value;
    }

    [GeneratedRegex(@"'shape'\s*:\s*\(([^)]*)\)")]
    private static partial Regex ShapePattern();
}
