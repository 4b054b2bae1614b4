using Trilobite.Vision.Imaging;

namespace Trilobite.Vision.ViolaJones.Training;

/// <summary>
/// One window-sized training sample with its integral image and OpenCV's variance-normalisation factor, so that
/// a feature's value here is bit-for-bit what the detector computes on the same pixels.
/// </summary>
internal sealed class TrainingWindow
{
    private TrainingWindow(IntegralImage integral, float normFactor)
    {
        Integral = integral;
        NormFactor = normFactor;
    }

    public IntegralImage Integral { get; }
    public float NormFactor { get; }

    /// <summary>Null when the detector would skip this window as too flat (σ ≤ 10 grey levels).</summary>
    public static TrainingWindow? TryCreate(GrayImage window)
    {
        var ii = IntegralImage.Compute(window);
        return ii.TryNormFactor(0, 0, window.Width, window.Height, out float nf) ? new TrainingWindow(ii, nf) : null;
    }

    /// <summary>The normalised feature value the detector compares with a node threshold.</summary>
    public float Value(HaarFeature feature) => feature.Evaluate(Integral, 0, 0) * NormFactor;
}
