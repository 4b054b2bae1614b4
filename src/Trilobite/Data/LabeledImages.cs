namespace Trilobite.Data;

/// <summary>
/// A set of images with one integer class label each, held as plain arrays: pixels as
/// <c>float</c> in NHWC order (<c>(N, H, W, C)</c>, channels last) and labels as <c>int</c>.
/// </summary>
/// <remarks>
/// Deliberately independent of the tensor type, so that loaders need nothing but the BCL.
/// Loaders scale pixels to [0, 1] unless asked not to.
/// <code>
/// var (train, test) = Mnist.LoadSample();
/// ReadOnlySpan&lt;float&gt; first = train.Image(0);   // 28·28·1 floats
/// string name = train.ClassNames[train.Labels[0]];
/// </code>
/// </remarks>
public sealed class LabeledImages
{
    /// <summary>Creates a labelled image set, checking that every size agrees.</summary>
    /// <param name="pixels">N·H·W·C values, NHWC order. Kept, not copied.</param>
    /// <param name="labels">N labels, each in [0, number of class names). Kept, not copied.</param>
    /// <param name="height">Image height H.</param>
    /// <param name="width">Image width W.</param>
    /// <param name="channels">Channels per pixel C (1 for grey).</param>
    /// <param name="classNames">One name per class; its length is the class count.</param>
    /// <exception cref="ArgumentException">A size disagrees or a label is out of range.</exception>
    public LabeledImages(float[] pixels, int[] labels, int height, int width, int channels, IReadOnlyList<string> classNames)
    {
        ArgumentNullException.ThrowIfNull(pixels);
        ArgumentNullException.ThrowIfNull(labels);
        ArgumentNullException.ThrowIfNull(classNames);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(height);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(width);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(channels);
        if (classNames.Count == 0)
            throw new ArgumentException("LabeledImages: at least one class name is needed.", nameof(classNames));
        long expected = (long)labels.Length * height * width * channels;
        if (pixels.Length != expected)
            throw new ArgumentException(
                $"LabeledImages: {labels.Length} labels of {height}×{width}×{channels} images need {expected} pixel values, got {pixels.Length}.",
                nameof(pixels));
        for (int i = 0; i < labels.Length; i++)
        {
            if ((uint)labels[i] >= (uint)classNames.Count)
                throw new ArgumentException(
                    $"LabeledImages: label {i} is {labels[i]}, outside [0, {classNames.Count}) for {classNames.Count} classes.",
                    nameof(labels));
        }
        Pixels = pixels;
        Labels = labels;
        Height = height;
        Width = width;
        Channels = channels;
        ClassNames = classNames;
    }

    /// <summary>The pixels, N·H·W·C values in NHWC order.</summary>
    public float[] Pixels { get; }

    /// <summary>The class label of each image, in [0, <see cref="ClassCount"/>).</summary>
    public int[] Labels { get; }

    /// <summary>The number of images N.</summary>
    public int Count => Labels.Length;

    /// <summary>Image height H.</summary>
    public int Height { get; }

    /// <summary>Image width W.</summary>
    public int Width { get; }

    /// <summary>Channels per pixel C.</summary>
    public int Channels { get; }

    /// <summary>The number of values in one image: H·W·C.</summary>
    public int ImageSize => Height * Width * Channels;

    /// <summary>The number of classes.</summary>
    public int ClassCount => ClassNames.Count;

    /// <summary>The name of each class, indexed by label.</summary>
    public IReadOnlyList<string> ClassNames { get; }

    /// <summary>The shape of one image as Keras writes an input shape: <c>[H, W, C]</c>.</summary>
    public int[] ImageShape => [Height, Width, Channels];

    /// <summary>The pixels of image <paramref name="index"/>: H·W·C values, HWC order.</summary>
    /// <param name="index">Which image, in [0, <see cref="Count"/>).</param>
    public Span<float> Image(int index)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(index);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(index, Count);
        return Pixels.AsSpan(index * ImageSize, ImageSize);
    }

    /// <summary>A copy holding images <paramref name="start"/> to <paramref name="start"/>+<paramref name="count"/>−1.</summary>
    /// <param name="start">First image.</param>
    /// <param name="count">Number of images.</param>
    public LabeledImages Slice(int start, int count)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(start);
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        if ((long)start + count > Count)
            throw new ArgumentOutOfRangeException(nameof(count), $"LabeledImages.Slice({start}, {count}): only {Count} images.");
        float[] pixels = Pixels.AsSpan(start * ImageSize, count * ImageSize).ToArray();
        int[] labels = Labels.AsSpan(start, count).ToArray();
        return new LabeledImages(pixels, labels, Height, Width, Channels, ClassNames);
    }

    /// <summary>A copy holding the images at <paramref name="indices"/>, in that order.</summary>
    /// <param name="indices">Image indices, each in [0, <see cref="Count"/>); repeats allowed.</param>
    public LabeledImages Select(ReadOnlySpan<int> indices)
    {
        int size = ImageSize;
        var pixels = new float[(long)indices.Length * size];
        var labels = new int[indices.Length];
        for (int i = 0; i < indices.Length; i++)
        {
            int j = indices[i];
            if ((uint)j >= (uint)Count)
                throw new ArgumentOutOfRangeException(nameof(indices), $"LabeledImages.Select: index {j} at position {i} is outside [0, {Count}).");
            Pixels.AsSpan(j * size, size).CopyTo(pixels.AsSpan(i * size, size));
            labels[i] = Labels[j];
        }
        return new LabeledImages(pixels, labels, Height, Width, Channels, ClassNames);
    }

    /// <summary>The labels one-hot encoded: N·<see cref="ClassCount"/> floats, row-major.</summary>
    public float[] OneHotLabels() => Preprocessing.OneHot(Labels, ClassCount);

    /// <inheritdoc />
    public override string ToString() => $"LabeledImages({Count}×{Height}×{Width}×{Channels}, {ClassCount} classes)";
}
