namespace Trilobite.Vision.ViolaJones.Training;

/// <summary>
/// Settings of <see cref="CascadeTrainer.Train"/>, named after opencv_traincascade's: each stage must keep at least
/// <see cref="MinHitRate"/> of the positives and pass at most <see cref="MaxFalseAlarmRate"/> of the negatives it
/// is trained on, so that a cascade of k stages has hit rate ≈ MinHitRate^k and false-alarm rate ≈ MaxFalseAlarmRate^k.
/// </summary>
public sealed record CascadeTrainingOptions
{
    /// <summary>Detection window width, in pixels (3 to <see cref="HaarCascade.MaxWindowSide"/>); positives must have this size.</summary>
    public int WindowWidth { get; init; } = 24;
    /// <summary>Detection window height, in pixels (3 to <see cref="HaarCascade.MaxWindowSide"/>); positives must have this size.</summary>
    public int WindowHeight { get; init; } = 24;
    /// <summary>Most stages to train; training stops earlier when no false alarms (or no positives) are left.</summary>
    public int Stages { get; init; } = 10;
    /// <summary>Fraction of its positives each stage must keep, in (0, 1].</summary>
    public double MinHitRate { get; init; } = 0.995;
    /// <summary>Largest fraction of its negatives a stage may pass, in (0, 1): boosting adds stumps until it is reached.</summary>
    public double MaxFalseAlarmRate { get; init; } = 0.5;
    /// <summary>Most weak classifiers (stumps) in one stage, even if the false-alarm rate is not yet reached.</summary>
    public int MaxWeakCount { get; init; } = 100;
    /// <summary>Negative windows mined for each stage (each one passes all earlier stages).</summary>
    public int NegativesPerStage { get; init; } = 1000;
    /// <summary>Random Haar features (out of the full set) considered by each stage; fewer trains faster.</summary>
    public int FeaturesPerStage { get; init; } = 2000;
    /// <summary>Grid of feature positions and sizes, in pixels (1: every feature).</summary>
    public int FeatureStep { get; init; } = 1;
    /// <summary>Pyramid factor used when cutting negative windows out of the negative images.</summary>
    public double ScaleFactor { get; init; } = 1.1;
    /// <summary>Seeds negative mining and feature sampling, so a run repeats exactly.</summary>
    public int Seed { get; init; } = 1;
    /// <summary>Threads used (−1: all cores).</summary>
    public int MaxDegreeOfParallelism { get; init; } = -1;

    internal void Validate()
    {
        if (WindowWidth < 3 || WindowHeight < 3 || WindowWidth > HaarCascade.MaxWindowSide || WindowHeight > HaarCascade.MaxWindowSide)
            throw new ArgumentOutOfRangeException(nameof(WindowWidth), $"CascadeTrainingOptions: window {WindowWidth}x{WindowHeight} out of range.");
        if (Stages < 1 || MaxWeakCount < 1 || NegativesPerStage < 1 || FeaturesPerStage < 1 || FeatureStep < 1)
            throw new ArgumentOutOfRangeException(nameof(Stages), "CascadeTrainingOptions: counts must be positive.");
        if (MinHitRate is <= 0 or > 1 || MaxFalseAlarmRate is <= 0 or >= 1)
            throw new ArgumentOutOfRangeException(nameof(MinHitRate), $"CascadeTrainingOptions: need 0 < MinHitRate ≤ 1 and 0 < MaxFalseAlarmRate < 1, got {MinHitRate} and {MaxFalseAlarmRate}.");
        if (!(ScaleFactor > 1))
            throw new ArgumentOutOfRangeException(nameof(ScaleFactor), $"CascadeTrainingOptions: ScaleFactor must be > 1, got {ScaleFactor}.");
    }
}
