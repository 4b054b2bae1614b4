namespace Trilobite.Training;

/// <summary>
/// A stream of (x, y) batches, for data that does not fit in one tensor — an image folder decoded on the fly.
/// <see cref="Model.Fit(IBatchSource, FitOptions?, IBatchSource?)"/> asks for one epoch at a time; the source chooses
/// the order (shuffled and augmented per epoch, seeded by the epoch number, so a run can be repeated).
/// <code>
/// var source = new ArrayBatchSource(train.X, train.Y, batchSize: 64, seed: 1);
/// model.Fit(source, new FitOptions { Epochs = 5 });
/// </code>
/// </summary>
public interface IBatchSource
{
    /// <summary>Samples in one epoch.</summary>
    int Count { get; }

    /// <summary>Batches in one epoch (the length of the progress bar).</summary>
    int BatchesPerEpoch { get; }

    /// <summary>
    /// The batches of epoch <paramref name="epoch"/> (0-based): X is (B, …) inputs, Y is (B, …) targets with the same B, and
    /// an optional sample weight. The tensors belong to the caller. Disposing the enumerator early (training stopped) must
    /// release the source's workers.
    /// </summary>
    IEnumerable<Batch> Batches(int epoch);
}

/// <summary>An <see cref="IBatchSource"/> over tensors held in memory (and optional sample weights): shuffled per epoch with a seed, or in order.</summary>
public sealed class ArrayBatchSource : IBatchSource
{
    private readonly Tensor _x, _y;
    private readonly Tensor? _weights;
    private readonly int _batchSize, _seed;
    private readonly bool _shuffle;

    /// <summary>
    /// Batches of <paramref name="batchSize"/> rows (the last may be smaller) of <paramref name="x"/>, <paramref name="y"/> and
    /// <paramref name="sampleWeight"/>, reshuffled each epoch from <paramref name="seed"/> when <paramref name="shuffle"/>. Throws
    /// <see cref="ArgumentOutOfRangeException"/> for a batch size below 1 and <see cref="ArgumentException"/> when the sample counts differ.
    /// </summary>
    public ArrayBatchSource(Tensor x, Tensor y, int batchSize = 32, bool shuffle = true, int seed = 0, Tensor? sampleWeight = null)
    {
        ArgumentNullException.ThrowIfNull(x);
        ArgumentNullException.ThrowIfNull(y);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(batchSize);
        if (x.Rank == 0 || y.Rank == 0 || x.Dim(0) != y.Dim(0))
            throw new ArgumentException($"ArrayBatchSource: x has {(x.Rank == 0 ? 0 : x.Dim(0))} samples (shape {ShapeText.Of(x.Shape)}) but y has {(y.Rank == 0 ? 0 : y.Dim(0))} (shape {ShapeText.Of(y.Shape)}).");
        if (sampleWeight != null && (sampleWeight.Rank == 0 || sampleWeight.Dim(0) != x.Dim(0)))
            throw new ArgumentException($"ArrayBatchSource: {x.Dim(0)} samples but sample weights of shape {ShapeText.Of(sampleWeight.Shape)}; give one weight per sample (or per value of each sample's loss).");
        (_x, _y, _weights, _batchSize, _shuffle, _seed) = (x, y, sampleWeight, batchSize, shuffle, seed);
    }

    /// <inheritdoc/>
    public int Count => _x.Dim(0);

    /// <summary>⌈Count / batch size⌉.</summary>
    public int BatchesPerEpoch => (Count + _batchSize - 1) / _batchSize;

    /// <summary>The epoch's batches, rows copied into new tensors on the data's device, in a fresh order seeded by (seed, epoch) when shuffling.</summary>
    public IEnumerable<Batch> Batches(int epoch)
    {
        int[] order = Enumerable.Range(0, Count).ToArray();
        if (_shuffle) new Random(RandomSeed.Derive(_seed, epoch)).Shuffle(order);
        for (int start = 0; start < Count; start += _batchSize)
        {
            var rows = order.AsMemory(start, Math.Min(_batchSize, Count - start));
            yield return new Batch(Rows(_x, rows.Span), Rows(_y, rows.Span), _weights == null ? null : Rows(_weights, rows.Span));
        }
    }

    /// <summary>Copies the rows into a new batch tensor on the data's device (pooled when the caller has a <see cref="TensorScope"/> open, as Fit does).</summary>
    private static Tensor Rows(Tensor data, ReadOnlySpan<int> rows)
    {
        int rowLength = data.Length / Math.Max(1, data.Dim(0));
        var batch = Tensor.Create([rows.Length, .. data.Shape[1..]], data.Device, clear: false);
        if (data.Device == Device.Cpu)
        {
            ReadOnlySpan<float> src = data.Span;
            Span<float> dst = batch.Span;
            for (int i = 0; i < rows.Length; i++) src.Slice(rows[i] * rowLength, rowLength).CopyTo(dst.Slice(i * rowLength, rowLength));
        }
        else
            for (int i = 0; i < rows.Length; i++) data.Backend.Copy(data.Data.Slice(rows[i] * rowLength, rowLength), batch.Data.Slice(i * rowLength, rowLength));
        return batch;
    }
}
