namespace Trilobite.Training;

/// <summary>
/// Random translations and horizontal flips of image batches (N, H, W, C) from another source, for training only:
/// what Keras's <c>RandomTranslation</c> and <c>RandomFlip("horizontal")</c> layers do, with integer shifts and
/// zero fill. Each sample is flipped with probability ½ (when enabled) and shifted by dy, dx drawn uniformly from
/// [−maxShift, maxShift]. Draws are seeded by (seed, epoch) and follow the inner source's order, so a resumed run
/// sees the same images as an uninterrupted one.
/// <code>
/// var source = new AugmentedBatchSource(new ArrayBatchSource(train.X, train.Y, 128, seed: 1), maxShift: 2, horizontalFlip: true, seed: 1);
/// </code>
/// Flips do not preserve the label of every kind of image (a mirrored digit is not a digit): leave them off there.
/// </summary>
public sealed class AugmentedBatchSource : IBatchSource
{
    private readonly IBatchSource _inner;
    private readonly int _maxShift, _seed;
    private readonly bool _flip;

    /// <summary>Augments <paramref name="inner"/>'s batches with shifts of up to <paramref name="maxShift"/> pixels and, when <paramref name="horizontalFlip"/>, mirror images; throws for a null source or a negative shift.</summary>
    public AugmentedBatchSource(IBatchSource inner, int maxShift, bool horizontalFlip, int seed = 0)
    {
        ArgumentNullException.ThrowIfNull(inner);
        ArgumentOutOfRangeException.ThrowIfNegative(maxShift);
        (_inner, _maxShift, _flip, _seed) = (inner, maxShift, horizontalFlip, seed);
    }

    /// <inheritdoc/>
    public int Count => _inner.Count;

    /// <inheritdoc/>
    public int BatchesPerEpoch => _inner.BatchesPerEpoch;

    /// <summary>The inner source's batches of <paramref name="epoch"/>, inputs copied to the host and transformed there, targets and weights unchanged. Throws <see cref="ArgumentException"/> for inputs that are not (N, H, W, C).</summary>
    public IEnumerable<Batch> Batches(int epoch)
    {
        var random = new Random(RandomSeed.Derive(_seed, epoch));
        float[]? scratch = null;
        foreach (var batch in _inner.Batches(epoch))
        {
            var x = batch.X.To(Device.Cpu);   // the transforms work in host memory; Fit moves the batch on to the model's device
            if (x.Rank != 4)
                throw new ArgumentException($"AugmentedBatchSource: batches must be images (N, H, W, C), got {ShapeText.Of(x.Shape)}.");
            int n = x.Dim(0), sample = x.Length / Math.Max(1, n);
            scratch ??= new float[sample];
            for (int i = 0; i < n; i++)
            {
                bool flip = _flip && random.Next(2) == 1;
                int dy = random.Next(-_maxShift, _maxShift + 1), dx = random.Next(-_maxShift, _maxShift + 1);
                Transform(x.Span.Slice(i * sample, sample), x.Dim(1), x.Dim(2), x.Dim(3), flip, dy, dx, scratch);
            }
            yield return batch with { X = x };
        }
    }

    /// <summary>image ← its mirror image (when <paramref name="flip"/>) moved down by dy and right by dx, zeros where nothing lands.</summary>
    internal static void Transform(Span<float> image, int height, int width, int channels, bool flip, int dy, int dx, float[] scratch)
    {
        if (!flip && dy == 0 && dx == 0) return;
        image.CopyTo(scratch);
        image.Clear();
        for (int r = Math.Max(0, dy); r < Math.Min(height, height + dy); r++)
        {
            int sourceRow = r - dy;
            for (int c = Math.Max(0, dx); c < Math.Min(width, width + dx); c++)
            {
                int sourceColumn = flip ? width - 1 - (c - dx) : c - dx;
                scratch.AsSpan((sourceRow * width + sourceColumn) * channels, channels).CopyTo(image.Slice((r * width + c) * channels, channels));
            }
        }
    }
}
