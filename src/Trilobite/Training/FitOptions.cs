namespace Trilobite;

/// <summary>The knobs of <see cref="Model.Fit(Tensor, Tensor, FitOptions?)"/>, with Keras's defaults.</summary>
public sealed record FitOptions
{
    /// <summary>Samples per step when training on tensors, and per batch of <see cref="ValidationData"/>; at least 1. Default 32, as Keras.</summary>
    public int BatchSize { get; init; } = 32;
    /// <summary>The epoch to stop before (as Keras's <c>epochs</c>: a total, counting those before <see cref="InitialEpoch"/>).</summary>
    public int Epochs { get; init; } = 1;

    /// <summary>0 = silent, 1 = progress bar, 2 = one line per epoch.</summary>
    public int Verbose { get; init; } = 1;

    /// <summary>Data to evaluate at the end of each epoch (val_loss, val_accuracy…).</summary>
    public Dataset? ValidationData { get; init; }

    /// <summary>Fraction of the training data, taken from its end before shuffling, to hold out for validation.</summary>
    public double ValidationSplit { get; init; }

    /// <summary>Whether tensor data is reshuffled each epoch (seeded by the model's seed and the epoch); a batch source decides its own order.</summary>
    public bool Shuffle { get; init; } = true;

    /// <summary>Called during training in this order (see <see cref="Callback"/>).</summary>
    public IReadOnlyList<Callback> Callbacks { get; init; } = [];

    /// <summary>The epoch to start at (for resuming: epochs before it are taken as done).</summary>
    public int InitialEpoch { get; init; }

    /// <summary>
    /// The step of <see cref="InitialEpoch"/> to start at, for resuming a checkpoint saved in the middle of an epoch
    /// (<see cref="Model.CompletedSteps"/>): the epoch's first batches are drawn from the source and skipped, and the
    /// checkpoint's running loss and metrics are taken up, so the run ends with the weights and loss of one never stopped.
    /// </summary>
    public int InitialStep { get; init; }

    /// <summary>A weight per training sample (or per value of each sample's loss), as Keras's sample_weight; null: all 1.</summary>
    public Tensor? SampleWeight { get; init; }

    /// <summary>Where progress goes; the console by default.</summary>
    public TextWriter? Output { get; init; }
}
