namespace Trilobite;

public sealed partial class Tensor
{
    /// <summary>A tensor of zeros.</summary>
    public static Tensor Zeros(params int[] shape) => new((int[])shape.Clone(), new float[ElementCount(shape)], 0);

    /// <summary>A tensor filled with <paramref name="value"/>.</summary>
    public static Tensor Full(int[] shape, float value)
    {
        var t = Zeros(shape);
        t.Span.Fill(value);
        return t;
    }

    /// <summary>A tensor of ones.</summary>
    public static Tensor Ones(params int[] shape) => Full(shape, 1f);

    /// <summary>A tensor holding a copy of <paramref name="data"/>, whose length must match the shape.</summary>
    public static Tensor FromArray(float[] data, params int[] shape)
    {
        int length = ElementCount(shape);
        if (data.Length != length)
            throw new ArgumentException($"Cannot make a tensor of shape {ShapeText.Of(shape)} ({length} elements) from {data.Length} values.");
        return new Tensor((int[])shape.Clone(), (float[])data.Clone(), 0);
    }

    /// <summary>A scalar (rank 0) tensor.</summary>
    public static Tensor Scalar(float value) => new([], [value], 0);

    /// <summary>Uniform values in [low, high), reproducible from <paramref name="seed"/>.</summary>
    public static Tensor Uniform(int[] shape, float low, float high, int seed) => Uniform(shape, low, high, new Random(seed));

    /// <summary>Uniform values in [low, high) drawn from <paramref name="random"/>.</summary>
    public static Tensor Uniform(int[] shape, float low, float high, Random random)
    {
        var t = Zeros(shape);
        Span<float> s = t.Span;
        for (int i = 0; i < s.Length; i++) s[i] = low + (high - low) * random.NextSingle();
        return t;
    }

    /// <summary>Normally distributed values, reproducible from <paramref name="seed"/>.</summary>
    public static Tensor Normal(int[] shape, float mean, float std, int seed) => Normal(shape, mean, std, new Random(seed));

    /// <summary>Normally distributed values (Box–Muller) drawn from <paramref name="random"/>.</summary>
    public static Tensor Normal(int[] shape, float mean, float std, Random random)
    {
        var t = Zeros(shape);
        Span<float> s = t.Span;
        for (int i = 0; i < s.Length; i++) s[i] = mean + std * (float)StandardNormal(random);
        return t;
    }

    internal static double StandardNormal(Random random)
    {
        double u1 = 1.0 - random.NextDouble(), u2 = random.NextDouble();
        return Math.Sqrt(-2.0 * Math.Log(u1)) * Math.Cos(2 * Math.PI * u2);
    }
}
