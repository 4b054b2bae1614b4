using Trilobite.Layers;

namespace Trilobite.Vision.Detection;

/// <summary>
/// A feature pyramid network (Lin et al. 2017) over a backbone's intermediate outputs: a 1×1 lateral convolution brings
/// each level to the same channels, the coarser level is upsampled (nearest) to the finer one's size and added
/// top-down, and a 3×3 convolution smooths each sum. Works on any backbone's maps, finest first: where a level is exactly
/// twice the next it is UpSampling2D(2), otherwise (odd sizes: 25 → 13) a nearest resize to its size, as torchvision's FPN.
/// </summary>
public static class FeaturePyramid
{
    /// <summary>
    /// P levels (finest first) from backbone maps <paramref name="features"/> (finest first, each no larger than the one
    /// before); throws <see cref="ArgumentException"/> when a level is larger than the one before it.
    /// </summary>
    public static SymbolicTensor[] Build(IReadOnlyList<SymbolicTensor> features, int channels, string name = "fpn")
    {
        ArgumentNullException.ThrowIfNull(features);
        if (features.Count == 0) throw new ArgumentException("A feature pyramid needs at least one backbone level.");
        for (int i = 1; i < features.Count; i++)
            if (features[i].Shape[0] > features[i - 1].Shape[0] || features[i].Shape[1] > features[i - 1].Shape[1])
                throw new ArgumentException($"Feature pyramid level {i} is {features[i].Shape[0]}×{features[i].Shape[1]}, larger than level {i - 1} ({features[i - 1].Shape[0]}×{features[i - 1].Shape[1]}): give the levels finest first.");
        var laterals = features.Select((f, i) => new Conv2D(channels, 1, name: $"{name}_lateral{i}").Call(f)).ToArray();
        var merged = new SymbolicTensor[features.Count];
        merged[^1] = laterals[^1];
        for (int i = features.Count - 2; i >= 0; i--)
        {
            int[] fine = laterals[i].Shape, coarse = merged[i + 1].Shape;
            var upsample = fine[0] == 2 * coarse[0] && fine[1] == 2 * coarse[1]
                ? new UpSampling2D(2, name: $"{name}_upsample{i}")
                : UpSampling2D.ToSize(fine[0], fine[1], name: $"{name}_upsample{i}");
            merged[i] = new Add(name: $"{name}_merge{i}").Call(laterals[i], upsample.Call(merged[i + 1]));
        }
        return [.. merged.Select((m, i) => new Conv2D(channels, 3, padding: Padding.Same, name: $"{name}_output{i}").Call(m))];
    }
}
