using Trilobite.Training;

namespace Trilobite.Vision.Detection;

/// <summary>
/// Training batches for a one-stage detector: images in a seeded order per epoch, and for each its target (RetinaNet's
/// anchor rows, YOLO's grid) computed by the detector's <see cref="IDetectionHead"/> when the batch is made (matching is
/// cheap next to the network; holding every image's anchor rows would take gigabytes).
/// </summary>
public sealed class DetectionBatchSource : IBatchSource
{
    private readonly ReadOnlyMemory<float> _pixels;
    private readonly int[] _imageShape;
    private readonly IReadOnlyList<GroundTruth>[] _truth;
    private readonly int[] _indices;
    private readonly IDetectionHead _head;
    private readonly int _batchSize, _seed;
    private readonly bool _shuffle;

    /// <summary>Images <paramref name="indices"/> of <paramref name="data"/>, with their ground truth, for a detector of <paramref name="spec"/>.</summary>
    public DetectionBatchSource(CocoDetectionData data, IReadOnlyList<int> indices, DetectorSpec spec, int batchSize, bool shuffle, int seed)
    {
        ArgumentNullException.ThrowIfNull(data);
        ArgumentNullException.ThrowIfNull(spec);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(batchSize);
        if (!data.ImageShape.SequenceEqual(spec.Input))
            throw new ArgumentException($"The detector takes images of {ShapeText.WithBatch(spec.Input)}, the data has {ShapeText.WithBatch(data.ImageShape)}.");
        (_pixels, _imageShape, _truth, _indices, _batchSize, _shuffle, _seed) = (data.Pixels, data.ImageShape, data.Truth, [.. indices], batchSize, shuffle, seed);
        _head = IDetectionHead.For(spec);
    }

    /// <inheritdoc/>
    public int Count => _indices.Length;

    /// <inheritdoc/>
    public int BatchesPerEpoch => (_indices.Length + _batchSize - 1) / _batchSize;

    /// <inheritdoc/>
    public IEnumerable<Batch> Batches(int epoch)
    {
        int[] order = [.. _indices];
        if (_shuffle) new Random(RandomSeed.Derive(_seed, epoch)).Shuffle(order);     // the same order for an epoch in every run (resume)
        int pixels = _imageShape[0] * _imageShape[1] * _imageShape[2];
        int[] targetShape = _head.TargetShape;
        int perTarget = targetShape.Aggregate(1, (a, b) => a * b);
        for (int start = 0; start < order.Length; start += _batchSize)
        {
            int n = Math.Min(_batchSize, order.Length - start);
            var x = new float[n * pixels];
            var y = new float[n * perTarget];
            for (int i = 0; i < n; i++)
            {
                int image = order[start + i];
                _pixels.Span.Slice(image * pixels, pixels).CopyTo(x.AsSpan(i * pixels));
                _head.EncodeTargets(_truth[image], y.AsSpan(i * perTarget, perTarget));
            }
            yield return new Batch(Tensor.FromArray(x, [n, .. _imageShape], Device.Cpu), Tensor.FromArray(y, [n, .. targetShape], Device.Cpu), null);
        }
    }
}
