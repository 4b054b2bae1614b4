namespace Trilobite.Training;

/// <summary>
/// One batch of a <see cref="IBatchSource"/>: inputs X (B, …), targets Y (B, …) and, optionally, a weight per sample
/// (B) — or per value, shaped like the per-sample losses — as Keras's (x, y, sample_weight). A pair (x, y) converts to a
/// batch without weights, and a batch deconstructs to (x, y).
/// </summary>
public readonly record struct Batch(Tensor X, Tensor Y, Tensor? SampleWeight = null)
{
    /// <summary>A batch of the pair, without sample weights.</summary>
    public static implicit operator Batch((Tensor X, Tensor Y) pair) => new(pair.X, pair.Y);

    /// <summary>The inputs and targets, dropping the sample weights: <c>var (x, y) = batch;</c></summary>
    public void Deconstruct(out Tensor x, out Tensor y)
    {
        x = X;
        y = Y;
    }
}
