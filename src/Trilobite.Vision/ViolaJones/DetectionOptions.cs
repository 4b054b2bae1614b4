namespace Trilobite.Vision.ViolaJones;

/// <summary>
/// Parameters of <see cref="CascadeDetector.DetectMultiScale"/>, named and defaulted as OpenCV's
/// <c>detectMultiScale</c>: the image shrinks by <see cref="ScaleFactor"/> per pyramid level; a detection needs more
/// than <see cref="MinNeighbors"/> overlapping raw hits; boxes smaller than <see cref="MinWidth"/> ×
/// <see cref="MinHeight"/> or larger than <see cref="MaxWidth"/> × <see cref="MaxHeight"/> (0 = the image) are not searched.
/// </summary>
public sealed record DetectionOptions
{
    public double ScaleFactor { get; init; } = 1.1;
    public int MinNeighbors { get; init; } = 3;
    public int MinWidth { get; init; }
    public int MinHeight { get; init; }
    public int MaxWidth { get; init; }
    public int MaxHeight { get; init; }
    /// <summary>Threads used (−1: all cores).</summary>
    public int MaxDegreeOfParallelism { get; init; } = -1;

    public static DetectionOptions Default { get; } = new();

    internal void Validate()
    {
        if (!(ScaleFactor > 1) || !double.IsFinite(ScaleFactor))
            throw new ArgumentOutOfRangeException(nameof(ScaleFactor), $"DetectionOptions: ScaleFactor must be > 1, got {ScaleFactor}.");
        if (MinNeighbors < 0)
            throw new ArgumentOutOfRangeException(nameof(MinNeighbors), $"DetectionOptions: MinNeighbors must be >= 0, got {MinNeighbors}.");
        if (MinWidth < 0 || MinHeight < 0 || MaxWidth < 0 || MaxHeight < 0)
            throw new ArgumentOutOfRangeException(nameof(MinWidth), "DetectionOptions: sizes must be >= 0.");
        if (MaxDegreeOfParallelism == 0 || MaxDegreeOfParallelism < -1)
            throw new ArgumentOutOfRangeException(nameof(MaxDegreeOfParallelism), $"DetectionOptions: MaxDegreeOfParallelism must be -1 or positive, got {MaxDegreeOfParallelism}.");
    }
}
