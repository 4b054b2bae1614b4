namespace Trilobite.Losses;

/// <summary>
/// The capsule network's margin loss (Sabour et al. 2017, eq. 4) on capsule lengths ‖v_k‖ (N, classes) against one-hot
/// targets T: Σ_k T_k·max(0, m⁺ − ‖v_k‖)² + λ·(1 − T_k)·max(0, ‖v_k‖ − m⁻)², summed over the classes and averaged over
/// the batch (m⁺ = 0.9, m⁻ = 0.1, λ = 0.5). <see cref="OfficialNormalization"/> reproduces the official code instead,
/// which halves both terms and averages over the classes too: the paper's value ÷ 20 for ten classes.
/// </summary>
public sealed class MarginLoss : Loss
{
    /// <inheritdoc/>
    public override string Name => OfficialNormalization ? "margin_official" : "margin";

    /// <summary>m⁺: a present class's capsule should be at least this long.</summary>
    public float PositiveMargin { get; init; } = 0.9f;

    /// <summary>m⁻: an absent class's capsule should be at most this long.</summary>
    public float NegativeMargin { get; init; } = 0.1f;

    /// <summary>λ: the weight of the absent classes' term.</summary>
    public float DownWeight { get; init; } = 0.5f;

    /// <summary>The official code's scale: ½·(…) averaged over the classes rather than summed.</summary>
    public bool OfficialNormalization { get; init; }

    /// <summary>One value per sample; throws <see cref="ArgumentException"/> naming both shapes unless the targets are one-hot rows like the lengths.</summary>
    public override Tensor PerSample(Tensor prediction, Tensor target)
    {
        CheckSameLength(prediction, target, Name);
        target = target.Reshape(prediction.ShapeArray);
        var present = (PositiveMargin - prediction).Relu();
        var absent = (prediction - NegativeMargin).Relu();
        var perClass = target * present * present + DownWeight * ((1f - target) * absent * absent);
        return OfficialNormalization ? perClass.Mean(-1) * 0.5f : perClass.Sum(-1);
    }
}
