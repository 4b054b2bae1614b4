namespace Trilobite.Vision.ViolaJones;

/// <summary>
/// Parameters of <see cref="CascadeDetector.DetectMultiScale"/>, named and defaulted as OpenCV's
/// <c>detectMultiScale</c>: the image shrinks by <see cref="ScaleFactor"/> per pyramid level; a detection needs more
/// than <see cref="MinNeighbors"/> overlapping raw hits; boxes smaller than <see cref="MinWidth"/> ×
/// <see cref="MinHeight"/> or larger than <see cref="MaxWidth"/> × <see cref="MaxHeight"/> (0 = the image) are not searched.
/// </summary>
public sealed record DetectionOptions
{
    /// <summary>Size ratio of consecutive pyramid levels, &gt; 1 (OpenCV's default 1.1); smaller finds more sizes, more slowly.</summary>
    public double ScaleFactor { get; init; } = 1.1;
    /// <summary>Raw hits are grouped and a group needs more than this many members to be kept; 0 returns the raw hits ungrouped.</summary>
    public int MinNeighbors { get; init; } = 3;
    /// <summary>Smallest box width searched, in pixels (0: no limit).</summary>
    public int MinWidth { get; init; }
    /// <summary>Smallest box height searched, in pixels (0: no limit).</summary>
    public int MinHeight { get; init; }
    /// <summary>Largest box width searched, in pixels; when it or <see cref="MaxHeight"/> is 0, both limits are the image size.</summary>
    public int MaxWidth { get; init; }
    /// <summary>Largest box height searched, in pixels; when it or <see cref="MaxWidth"/> is 0, both limits are the image size.</summary>
    public int MaxHeight { get; init; }
    /// <summary>Threads used (−1: all cores).</summary>
    public int MaxDegreeOfParallelism { get; init; } = -1;

    /// <summary>OpenCV's defaults: scale factor 1.1, 3 neighbours, no size limits, all cores.</summary>
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
