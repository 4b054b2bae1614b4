namespace Trilobite.Kernels;

/// <summary>
/// Fills from <see cref="CounterRandom"/>: element i of the destination gets value i of the seed's stream, so a fill
/// split over threads (or over devices) writes exactly what one thread would.
/// </summary>
public static class RandomKernels
{
    /// <summary>Elements per task at least: Philox costs ~10 ns per element, so 16 Ki elements are worth a wake-up.</summary>
    private const int MinChunk = 1 << 14;

    /// <summary>destination[i] = low + (high − low)·u_i.</summary>
    public static void FillUniform(Span<float> destination, ulong seed, float low, float high) =>
        Fill(destination, new UniformValue(seed, low, high));

    /// <summary>destination[i] = mean + std·z_i with z_i standard normal.</summary>
    public static void FillNormal(Span<float> destination, ulong seed, float mean, float std) =>
        Fill(destination, new NormalValue(seed, mean, std, truncated: false));

    /// <summary>destination[i] = mean + std·z_i with z_i standard normal redrawn outside ±2 (Keras's truncated normal).</summary>
    public static void FillTruncatedNormal(Span<float> destination, ulong seed, float mean, float std) =>
        Fill(destination, new NormalValue(seed, mean, std, truncated: true));

    /// <summary>The value a fill writes at one index.</summary>
    public interface IValue
    {
        /// <summary>The value written at element <paramref name="index"/>.</summary>
        float At(long index);
    }

    /// <summary>low + (high − low)·u, in float.</summary>
    public readonly struct UniformValue(ulong seed, float low, float high) : IValue
    {
        /// <summary>Value <paramref name="index"/> of the seed's uniform stream, mapped to [low, high].</summary>
        public float At(long index) => CounterRandom.Uniform(seed, index, low, high);
    }

    /// <summary>mean + std·z, in float, z rounded to float first (so both backends compute the same product).</summary>
    public readonly struct NormalValue(ulong seed, float mean, float std, bool truncated) : IValue
    {
        /// <summary>mean + std·z with z value <paramref name="index"/> of the seed's normal (or truncated normal) stream.</summary>
        public float At(long index) => mean + std * (truncated ? CounterRandom.TruncatedNormal(seed, index, 2) : CounterRandom.Normal(seed, index));
    }

    private static unsafe void Fill<TValue>(Span<float> destination, TValue value) where TValue : struct, IValue
    {
        fixed (float* p = destination)
        {
            float* start = p;
            KernelThreads.ForRange(destination.Length, MinChunk, (first, last) =>
            {
                for (int i = first; i < last; i++) start[i] = value.At(i);
            });
        }
    }
}
