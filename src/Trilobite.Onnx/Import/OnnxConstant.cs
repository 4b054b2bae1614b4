using Onnx;
using DataType = Onnx.TensorProto.Types.DataType;

namespace Trilobite.Onnx.Import;

/// <summary>
/// A constant of the graph (an initializer, a Constant node, or a shape computed at import): its dims and its values, as
/// floats or as int64s. Decoding checks the declared size against the data actually present before allocating anything,
/// so a tiny file cannot claim a 10⁹-element tensor.
/// </summary>
internal sealed class OnnxConstant(long[] dims, float[]? floats, long[]? longs)
{
    public long[] Dims { get; } = dims;
    public float[]? Floats { get; } = floats;
    public long[]? Longs { get; } = longs;

    public int Length => Floats?.Length ?? Longs!.Length;

    public static OnnxConstant OfLongs(params long[] values) => new([values.Length], null, values);

    /// <summary>The values as floats (int64 constants converted).</summary>
    public float[] AsFloats() => Floats ?? [.. Longs!.Select(v => (float)v)];

    /// <summary>The values as int64s; a float constant that holds whole numbers also reads.</summary>
    public long[] AsLongs(string what) => Longs ?? (Floats!.All(f => f == MathF.Round(f)) ? [.. Floats!.Select(f => (long)f)]
        : throw new InvalidDataException($"{what} must hold whole numbers."));

    /// <summary>Decodes <paramref name="tensor"/>; <paramref name="where"/> names it in errors.</summary>
    public static OnnxConstant Decode(TensorProto tensor, string where)
    {
        if (tensor.DataLocation == TensorProto.Types.DataLocation.External)
            throw new InvalidDataException($"{where}: its data is in an external file; Trilobite reads only models whose weights are inside the .onnx file.");
        long count = 1;
        foreach (long d in tensor.Dims)
        {
            if (d < 0) throw new InvalidDataException($"{where}: dimension {d} is negative.");
            count = d == 0 ? 0 : count <= int.MaxValue / Math.Max(d, 1) ? count * d : long.MaxValue;
        }
        long[] dims = [.. tensor.Dims];
        var type = (DataType)tensor.DataType;
        int raw = tensor.RawData.Length;
        int width = type switch { DataType.Float or DataType.Int32 => 4, DataType.Int64 or DataType.Double => 8, _ => 0 };
        if (width == 0) throw new InvalidDataException($"{where}: element type {type} is not supported (float, double, int32 and int64 are).");
        long present = raw > 0 ? raw / width : type switch
        {
            DataType.Float => tensor.FloatData.Count,
            DataType.Int32 => tensor.Int32Data.Count,
            DataType.Int64 => tensor.Int64Data.Count,
            _ => tensor.DoubleData.Count,
        };
        if (count != present || (raw > 0 && raw % width != 0))
            throw new InvalidDataException($"{where}: shape {ShapeText(dims)} declares {(count == long.MaxValue ? "more than 2^31" : count.ToString())} values, but the data holds {present}.");
        var bytes = tensor.RawData.Span;
        return type switch
        {
            DataType.Float => new(dims, raw > 0 ? Read(bytes, count, b => BitConverter.ToSingle(b)) : [.. tensor.FloatData], null),
            DataType.Double => new(dims, raw > 0 ? Read(bytes, count, b => (float)BitConverter.ToDouble(b)) : [.. tensor.DoubleData.Select(v => (float)v)], null),
            DataType.Int32 => new(dims, null, raw > 0 ? Read(bytes, count, b => (long)BitConverter.ToInt32(b)) : [.. tensor.Int32Data.Select(v => (long)v)]),
            _ => new(dims, null, raw > 0 ? Read(bytes, count, b => BitConverter.ToInt64(b)) : [.. tensor.Int64Data]),
        };
    }

    private delegate T Reader<T>(ReadOnlySpan<byte> bytes);

    private static T[] Read<T>(ReadOnlySpan<byte> bytes, long count, Reader<T> read)
    {
        int width = bytes.Length / (int)Math.Max(count, 1);
        var values = new T[count];
        for (int i = 0; i < values.Length; i++) values[i] = read(bytes.Slice(i * width, width));
        return values;
    }

    public static string ShapeText(IEnumerable<long> dims) => "[" + string.Join(", ", dims) + "]";
}
