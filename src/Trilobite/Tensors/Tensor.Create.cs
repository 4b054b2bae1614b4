namespace Trilobite;

/// <summary>
/// Tensor factories. Without a device they use <see cref="Trilobite.Device.Default"/>; random ones draw from the counter-based
/// generator, so a seed gives the same values on every device.
/// </summary>
public sealed partial class Tensor
{
    /// <summary>A tensor of zeros on the default device.</summary>
    public static Tensor Zeros(params int[] shape) => Zeros(shape, Trilobite.Device.Default);

    /// <summary>A tensor of zeros on <paramref name="device"/>.</summary>
    public static Tensor Zeros(int[] shape, Device device) =>
        new((int[])shape.Clone(), device.Backend.Allocate(ElementCount(shape), clear: true, pooled: false), 0);

    /// <summary>A tensor filled with <paramref name="value"/>.</summary>
    public static Tensor Full(int[] shape, float value, Device? device = null)
    {
        var t = Zeros(shape, device ?? Trilobite.Device.Default);
        t.Backend.Fill(t.Data, value);
        return t;
    }

    /// <summary>A tensor of ones on the default device.</summary>
    public static Tensor Ones(params int[] shape) => Full(shape, 1f);

    /// <summary>A tensor of ones on <paramref name="device"/>.</summary>
    public static Tensor Ones(int[] shape, Device device) => Full(shape, 1f, device);

    /// <summary>A tensor holding a copy of <paramref name="data"/>, whose length must match the shape, on the default device.</summary>
    public static Tensor FromArray(float[] data, params int[] shape) => FromArray(data, shape, Trilobite.Device.Default);

    /// <summary>A tensor holding a copy of <paramref name="data"/> on <paramref name="device"/>.</summary>
    public static Tensor FromArray(float[] data, int[] shape, Device device)
    {
        int length = ElementCount(shape);
        if (data.Length != length)
            throw new ArgumentException($"Cannot make a tensor of shape {ShapeText.Of(shape)} ({length} elements) from {data.Length} values.");
        var t = new Tensor((int[])shape.Clone(), device.Backend.Allocate(length, clear: false, pooled: false), 0);
        t.Backend.CopyFromHost(data, t.Data);
        return t;
    }

    /// <summary>A scalar (rank 0) tensor.</summary>
    public static Tensor Scalar(float value, Device? device = null) => Full([], value, device);

    /// <summary>Uniform values in [low, high): value i of the counter-based stream of <paramref name="seed"/>.</summary>
    public static Tensor Uniform(int[] shape, float low, float high, int seed, Device? device = null)
    {
        var t = Zeros(shape, device ?? Trilobite.Device.Default);
        t.Backend.FillUniform(t.Data, (ulong)seed, low, high);
        return t;
    }

    /// <summary>Uniform values in [low, high) from a stream whose seed is drawn from <paramref name="random"/>.</summary>
    public static Tensor Uniform(int[] shape, float low, float high, Random random) => Uniform(shape, low, high, random.Next());

    /// <summary>Normally distributed values: value i of the counter-based normal stream of <paramref name="seed"/>.</summary>
    public static Tensor Normal(int[] shape, float mean, float std, int seed, Device? device = null)
    {
        var t = Zeros(shape, device ?? Trilobite.Device.Default);
        t.Backend.FillNormal(t.Data, (ulong)seed, mean, std);
        return t;
    }

    /// <summary>Normally distributed values from a stream whose seed is drawn from <paramref name="random"/>.</summary>
    public static Tensor Normal(int[] shape, float mean, float std, Random random) => Normal(shape, mean, std, random.Next());
}
