namespace Trilobite;

/// <summary>How a loss turns per-sample values into the number training minimises (Keras's <c>reduction</c>).</summary>
public enum LossReduction
{
    /// <summary>Σ (loss·weight) / number of values: Keras's default ("sum_over_batch_size", also "mean").</summary>
    SumOverBatchSize,

    /// <summary>Σ (loss·weight) ("sum").</summary>
    Sum,

    /// <summary>Σ (loss·weight) / Σ weight ("mean_with_sample_weight"); without weights, as SumOverBatchSize.</summary>
    MeanWithSampleWeight,

    /// <summary>The weighted per-sample values themselves ("none"): for calling a loss directly, not for Fit.</summary>
    None,
}

/// <summary>Keras's names of the reductions.</summary>
public static class LossReductions
{
    /// <summary>Keras's name: "sum_over_batch_size", "sum", "mean_with_sample_weight" or "none".</summary>
    public static string Name(LossReduction reduction) => reduction switch
    {
        LossReduction.Sum => "sum",
        LossReduction.MeanWithSampleWeight => "mean_with_sample_weight",
        LossReduction.None => "none",
        _ => "sum_over_batch_size",
    };

    /// <summary>Parses Keras's name (null, "mean" and "auto" mean sum_over_batch_size); throws <see cref="ArgumentException"/> listing the known names.</summary>
    public static LossReduction Parse(string? name) => name switch
    {
        null or "sum_over_batch_size" or "mean" or "auto" => LossReduction.SumOverBatchSize,
        "sum" => LossReduction.Sum,
        "mean_with_sample_weight" => LossReduction.MeanWithSampleWeight,
        "none" => LossReduction.None,
        _ => throw new ArgumentException($"Unknown loss reduction '{Excerpt.Of(name)}'. Known: sum_over_batch_size, sum, mean_with_sample_weight, none."),
    };
}
