using Trilobite.Training;

namespace Trilobite.Vision.Detection;

/// <summary>
/// Training batches for a one-stage detector: images in a seeded order per epoch, and for each its
/// <see cref="AnchorTargets"/> rows computed when the batch is made (matching is cheap next to the network; holding every
/// image's rows would take gigabytes).
/// </summary>
public sealed class DetectionBatchSource : IBatchSource
{
    private readonly ReadOnlyMemory<float> _pixels;
    private readonly int[] _imageShape;
    private readonly IReadOnlyList<GroundTruth>[] _truth;
    private readonly int[] _indices;
    private readonly Box[] _anchors;
    private readonly int _classes, _batchSize, _seed;
    private readonly bool _shuffle;
    private readonly Matcher _matcher = new(0.5, 0.4, allowLowQualityMatches: true);

    /// <summary>Images <paramref name="indices"/> of <paramref name="data"/>, with their ground truth, for a detector of <paramref name="spec"/>.</summary>
    public DetectionBatchSource(CocoDetectionData data, IReadOnlyList<int> indices, DetectorSpec spec, int batchSize, bool shuffle, int seed)
    {
        ArgumentNullException.ThrowIfNull(data);
        ArgumentNullException.ThrowIfNull(spec);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(batchSize);
        if (!data.ImageShape.SequenceEqual(spec.Input))
            throw new ArgumentException($"The detector takes images of {ShapeText.WithBatch(spec.Input)}, the data has {ShapeText.WithBatch(data.ImageShape)}.");
        (_pixels, _imageShape, _truth, _indices, _batchSize, _shuffle, _seed) = (data.Pixels, data.ImageShape, data.Truth, [.. indices], batchSize, shuffle, seed);
        _anchors = spec.AllAnchors();
        _classes = spec.Classes;
    }

    /// <inheritdoc/>
    public int Count => _indices.Length;

    /// <inheritdoc/>
    public int BatchesPerEpoch => (_indices.Length + _batchSize - 1) / _batchSize;

    /// <inheritdoc/>
    public IEnumerable<Batch> Batches(int epoch)
    {
        int[] order = [.. _indices];
        if (_shuffle) new Random(HashCode.Combine(_seed, epoch)).Shuffle(order);
        int pixels = _imageShape[0] * _imageShape[1] * _imageShape[2], width = _classes + 5;
        for (int start = 0; start < order.Length; start += _batchSize)
        {
            int n = Math.Min(_batchSize, order.Length - start);
            var x = new float[n * pixels];
            var y = new float[n * _anchors.Length * width];
            for (int i = 0; i < n; i++)
            {
                int image = order[start + i];
                _pixels.Span.Slice(image * pixels, pixels).CopyTo(x.AsSpan(i * pixels));
                AnchorTargets.Encode(_truth[image], _anchors, _classes, _matcher, BoxCoder.RetinaNet, y.AsSpan(i * _anchors.Length * width, _anchors.Length * width));
            }
            yield return new Batch(Tensor.FromArray(x, [n, .. _imageShape], Device.Cpu), Tensor.FromArray(y, [n, _anchors.Length, width], Device.Cpu), null);
        }
    }
}
