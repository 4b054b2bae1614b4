namespace Trilobite.Kernels;

/// <summary>
/// Inverted dropout: each element is kept with probability 1 − rate and scaled by 1/(1 − rate), so
/// inference needs no rescaling. The mask is a counter-based hash of (seed, index) — SplitMix64 —
/// so it is reproducible from one seed, cheap (no generator state) and the same on any thread count.
/// </summary>
public static class DropoutKernels
{
    /// <summary>Fills <paramref name="mask"/> with 0 or 1/(1 − rate) from <paramref name="seed"/>.</summary>
    public static void FillMask(ulong seed, float rate, Span<float> mask)
    {
        float keep = 1f / (1f - rate);
        // Keep when the top 24 bits of the hash, as a fraction of 2^24, are at least rate.
        uint threshold = (uint)Math.Ceiling(rate * (1 << 24));
        for (int i = 0; i < mask.Length; i++)
            mask[i] = (uint)(Hash(seed + (ulong)i) >> 40) >= threshold ? keep : 0f;
    }

    /// <summary>Fills the mask drawing the seed from <paramref name="random"/>.</summary>
    public static void FillMask(Random random, float rate, Span<float> mask) => FillMask((ulong)random.NextInt64(), rate, mask);

    private static ulong Hash(ulong z)
    {
        z += 0x9E3779B97F4A7C15UL;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }
}
