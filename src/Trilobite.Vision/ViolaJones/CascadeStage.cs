namespace Trilobite.Vision.ViolaJones;

/// <summary>
/// One stage of a cascade: a window passes when the sum of its weak classifiers' outputs is at least
/// <see cref="Threshold"/> (OpenCV compares against threshold − 1e-5 to absorb rounding).
/// </summary>
public sealed class CascadeStage
{
    /// <summary>A stage over <paramref name="classifiers"/> (copied); throws <see cref="ArgumentException"/> when there are none or the threshold is not finite.</summary>
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

    /// <summary>The least sum of weak-classifier outputs that passes a window.</summary>
    public float Threshold { get; }
    /// <summary>The weak classifiers whose outputs are summed, at least one.</summary>
    public IReadOnlyList<WeakClassifier> Classifiers { get; }
}
