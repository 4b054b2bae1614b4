namespace Trilobite;

/// <summary>The knobs of <see cref="Model.Fit(Tensor, Tensor, FitOptions?)"/>, with Keras's defaults.</summary>
public sealed record FitOptions
{
    public int BatchSize { get; init; } = 32;
    public int Epochs { get; init; } = 1;

    /// <summary>0 = silent, 1 = progress bar, 2 = one line per epoch.</summary>
    public int Verbose { get; init; } = 1;

    /// <summary>Data to evaluate at the end of each epoch (val_loss, val_accuracy…).</summary>
    public Dataset? ValidationData { get; init; }

    /// <summary>Fraction of the training data, taken from its end before shuffling, to hold out for validation.</summary>
    public double ValidationSplit { get; init; }

    public bool Shuffle { get; init; } = true;

    public IReadOnlyList<Callback> Callbacks { get; init; } = [];

    /// <summary>The epoch to start at (for resuming: epochs before it are taken as done).</summary>
    public int InitialEpoch { get; init; }

    /// <summary>A weight per training sample (or per value of each sample's loss), as Keras's sample_weight; null: all 1.</summary>
    public Tensor? SampleWeight { get; init; }

    /// <summary>Where progress goes; the console by default.</summary>
    public TextWriter? Output { get; init; }
}
