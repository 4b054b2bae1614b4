namespace Trilobite.Vision.ViolaJones;

/// <summary>
/// One stage of a cascade: a window passes when the sum of its weak classifiers' outputs is at least
/// <see cref="Threshold"/> (OpenCV compares against threshold − 1e-5 to absorb rounding).
/// </summary>
public sealed class CascadeStage
{
    public CascadeStage(float threshold, IReadOnlyList<WeakClassifier> classifiers)
    {
        ArgumentNullException.ThrowIfNull(classifiers);
        if (classifiers.Count == 0)
            throw new ArgumentException("CascadeStage: needs at least one weak classifier.", nameof(classifiers));
        if (!float.IsFinite(threshold))
            throw new ArgumentException($"CascadeStage: threshold must be finite, got {threshold}.", nameof(threshold));
        Threshold = threshold;
        Classifiers = classifiers.ToArray();
    }

    public float Threshold { get; }
    public IReadOnlyList<WeakClassifier> Classifiers { get; }
}
