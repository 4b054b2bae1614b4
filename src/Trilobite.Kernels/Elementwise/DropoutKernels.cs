namespace Trilobite.Kernels;

/// <summary>Inverted dropout: each element is kept with probability 1 − rate and scaled by 1/(1 − rate), so inference needs no rescaling.</summary>
public static class DropoutKernels
{
    /// <summary>Fills <paramref name="mask"/> with 0 or 1/(1 − rate), drawn from <paramref name="random"/> (seeded by the caller).</summary>
    public static void FillMask(Random random, float rate, Span<float> mask)
    {
        float keep = 1f / (1f - rate);
        for (int i = 0; i < mask.Length; i++) mask[i] = random.NextSingle() >= rate ? keep : 0f;
    }
}
