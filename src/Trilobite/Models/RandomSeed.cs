namespace Trilobite;

/// <summary>
/// The seed models take when they are created (as <c>keras.utils.set_random_seed</c>): it drives
/// weight initialisation, shuffling and dropout. Same seed, same thread count → bit-identical training.
/// </summary>
public static class RandomSeed
{
    /// <summary>The seed new models use; 0 unless set.</summary>
    public static int Global { get; private set; }

    /// <summary>Sets the seed models created from now on take (as <c>keras.utils.set_random_seed</c>); existing models keep theirs.</summary>
    public static void Set(int seed) => Global = seed;

    /// <summary>A seed derived from a base seed and a stream index (a layer's position, an epoch…).</summary>
    public static int Derive(int seed, int stream)
    {
        unchecked
        {
            uint h = (uint)seed * 0x9E3779B9u ^ (uint)stream * 0x85EBCA6Bu;
            h ^= h >> 16; h *= 0x7FEB352Du; h ^= h >> 15; h *= 0x846CA68Bu; h ^= h >> 16;
            return (int)(h & int.MaxValue);
        }
    }
}
