namespace Trilobite.Backends;

/// <summary>
/// Random fills from the counter-based generator (<c>CounterRandom</c>): element i gets value i of the seed's stream, so
/// every backend writes the same values for the same seed, bit for bit.
/// </summary>
public interface IRandomBackend
{
    /// <summary>Uniform values low + (high − low)·u with u in [0, 1).</summary>
    void FillUniform(StorageView destination, ulong seed, float low, float high);

    /// <summary>Normal values mean + std·z with z standard normal.</summary>
    void FillNormal(StorageView destination, ulong seed, float mean, float std);

    /// <summary>Normal values redrawn outside ±2σ (Keras's TruncatedNormal).</summary>
    void FillTruncatedNormal(StorageView destination, ulong seed, float mean, float std);

    /// <summary>Inverted-dropout mask: 0 or 1/(1 − rate), from the seed's keyed hash.</summary>
    void FillDropoutMask(StorageView destination, ulong seed, float rate);
}
