namespace Trilobite.Kernels;

/// <summary>
/// Counter-based random numbers: value i of a stream is a pure function of (seed, i), computed by Philox4x32-10
/// (Salmon et al., "Parallel random numbers: as easy as 1, 2, 3", SC 2011; the generator of cuRAND and of PyTorch on
/// CUDA). There is no generator state, so any backend, any thread count and any order of filling give the same numbers:
/// the Cpu and Reference backends (and a GPU later) draw identical initial weights from one seed.
/// Counter words: (index low, index high, stream, attempt); uniform values use stream 0, four per block; normal values
/// use stream 1, one per index, with the attempt word counting the redraws of a truncated normal.
/// </summary>
public static class CounterRandom
{
    private const uint M0 = 0xD2511F53, M1 = 0xCD9E8D57, W0 = 0x9E3779B9, W1 = 0xBB67AE85;

    /// <summary>Philox4x32-10 of the 128-bit counter (c0, c1, c2, c3) under the 64-bit key.</summary>
    public static (uint X0, uint X1, uint X2, uint X3) Philox(ulong key, uint c0, uint c1, uint c2, uint c3)
    {
        uint k0 = (uint)key, k1 = (uint)(key >> 32);
        for (int round = 0; round < 10; round++)
        {
            if (round > 0) { k0 += W0; k1 += W1; }
            ulong p0 = (ulong)M0 * c0, p1 = (ulong)M1 * c2;
            (c0, c1, c2, c3) = ((uint)(p1 >> 32) ^ c1 ^ k0, (uint)p1, (uint)(p0 >> 32) ^ c3 ^ k1, (uint)p0);
        }
        return (c0, c1, c2, c3);
    }

    /// <summary>Uniform in [0, 1) on a 2⁻²⁴ grid: element <paramref name="index"/> of the seed's uniform stream.</summary>
    public static float Uniform(ulong seed, long index)
    {
        ulong block = (ulong)index >> 2;
        var (x0, x1, x2, x3) = Philox(seed, (uint)block, (uint)(block >> 32), 0, 0);
        uint bits = (index & 3) switch { 0 => x0, 1 => x1, 2 => x2, _ => x3 };
        return (bits >> 8) * (1f / (1 << 24));
    }

    /// <summary>low + (high − low)·u in float, u from <see cref="Uniform(ulong, long)"/>: a value in [low, high].</summary>
    public static float Uniform(ulong seed, long index, float low, float high) => low + (high - low) * Uniform(seed, index);

    /// <summary>A standard normal value (Box–Muller on two 53-bit uniforms, in double, rounded to float).</summary>
    public static float Normal(ulong seed, long index) => (float)StandardNormal(seed, index, 0);

    /// <summary>A standard normal value drawn again while it lies outside [−bound, bound] (Keras's truncated normal: bound 2).</summary>
    public static float TruncatedNormal(ulong seed, long index, double bound)
    {
        for (uint attempt = 0; ; attempt++)
        {
            double v = StandardNormal(seed, index, attempt);
            if (Math.Abs(v) <= bound) return (float)v;
        }
    }

    private static double StandardNormal(ulong seed, long index, uint attempt)
    {
        var (x0, x1, x2, x3) = Philox(seed, (uint)index, (uint)((ulong)index >> 32), 1, attempt);
        double u1 = ((((ulong)x0 << 21) ^ x1) & ((1UL << 53) - 1)) * (1.0 / (1UL << 53));
        double u2 = ((((ulong)x2 << 21) ^ x3) & ((1UL << 53) - 1)) * (1.0 / (1UL << 53));
        return Math.Sqrt(-2 * Math.Log(1 - u1)) * Math.Cos(2 * Math.PI * u2);   // 1 − u1 ∈ (0, 1]: the log is finite
    }
}
