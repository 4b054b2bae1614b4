namespace Trilobite.Data;

/// <summary>
/// Turning raw data into network inputs and targets: one-hot encoding, scaling bytes to
/// [0, 1], standardising to zero mean and unit variance, and seeded shuffling.
/// </summary>
/// <remarks>
/// <code>
/// float[] y = Preprocessing.OneHot(train.Labels, 10);        // (N, 10), as Keras's to_categorical
/// var (mean, std) = Preprocessing.MeanStd(train.Pixels);
/// Preprocessing.Standardize(train.Pixels, mean, std);         // in place
/// LabeledImages shuffled = Preprocessing.Shuffle(train, seed: 1);
/// </code>
/// </remarks>
public static class Preprocessing
{
    /// <summary>One-hot encodes labels: row i is all zeros except a 1 at column <c>labels[i]</c>.</summary>
    /// <param name="labels">N labels, each in [0, <paramref name="classes"/>).</param>
    /// <param name="classes">The number of classes (columns).</param>
    /// <returns>N·<paramref name="classes"/> floats, row-major <c>(N, classes)</c>.</returns>
    /// <exception cref="ArgumentOutOfRangeException">A label is outside [0, classes).</exception>
    public static float[] OneHot(ReadOnlySpan<int> labels, int classes)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(classes);
        var result = new float[(long)labels.Length * classes];
        for (int i = 0; i < labels.Length; i++)
        {
            if ((uint)labels[i] >= (uint)classes)
                throw new ArgumentOutOfRangeException(nameof(labels), $"OneHot: label {i} is {labels[i]}, outside [0, {classes}).");
            result[(long)i * classes + labels[i]] = 1f;
        }
        return result;
    }

    /// <summary>Scales bytes to floats in [0, 1]: <c>destination[i] = source[i] / 255</c>.</summary>
    /// <param name="source">The bytes.</param>
    /// <param name="destination">As long as <paramref name="source"/>.</param>
    public static void ScaleToUnit(ReadOnlySpan<byte> source, Span<float> destination)
    {
        if (destination.Length != source.Length)
            throw new ArgumentException($"ScaleToUnit: destination has {destination.Length} elements, source {source.Length}.", nameof(destination));
        const float inv = 1f / 255f;
        for (int i = 0; i < source.Length; i++)
            destination[i] = source[i] * inv;
    }

    /// <summary>Bytes as floats, divided by 255 when <paramref name="scale"/> is true (else 0..255).</summary>
    /// <param name="source">The bytes.</param>
    /// <param name="scale">Whether to scale to [0, 1].</param>
    public static float[] ToFloats(ReadOnlySpan<byte> source, bool scale = true)
    {
        var result = new float[source.Length];
        if (scale)
            ScaleToUnit(source, result);
        else
            for (int i = 0; i < source.Length; i++)
                result[i] = source[i];
        return result;
    }

    /// <summary>The mean and (population) standard deviation of <paramref name="values"/>, summed in double.</summary>
    /// <param name="values">At least one value.</param>
    public static (float Mean, float Std) MeanStd(ReadOnlySpan<float> values)
    {
        if (values.IsEmpty)
            throw new ArgumentException("MeanStd: no values.", nameof(values));
        double sum = 0;
        foreach (float v in values)
            sum += v;
        double mean = sum / values.Length;
        double squares = 0;
        foreach (float v in values)
            squares += (v - mean) * (v - mean);
        return ((float)mean, (float)Math.Sqrt(squares / values.Length));
    }

    /// <summary>Standardises in place: <c>values[i] = (values[i] − mean) / std</c>.</summary>
    /// <param name="values">The values to change.</param>
    /// <param name="mean">The mean to subtract (usually from the training set).</param>
    /// <param name="std">The deviation to divide by; must be positive.</param>
    public static void Standardize(Span<float> values, float mean, float std)
    {
        if (!(std > 0) || float.IsInfinity(std))
            throw new ArgumentOutOfRangeException(nameof(std), $"Standardize: std must be positive and finite, got {std}.");
        float inv = 1f / std;
        for (int i = 0; i < values.Length; i++)
            values[i] = (values[i] - mean) * inv;
    }

    /// <summary>A random permutation of 0..<paramref name="count"/>−1 (Fisher–Yates), the same for the same seed.</summary>
    /// <param name="count">How many indices.</param>
    /// <param name="random">The source of randomness, e.g. <c>new Random(seed)</c>.</param>
    public static int[] Permutation(int count, Random random)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        ArgumentNullException.ThrowIfNull(random);
        var indices = new int[count];
        for (int i = 0; i < count; i++)
            indices[i] = i;
        Shuffle<int>(indices, random);
        return indices;
    }

    /// <summary>Shuffles <paramref name="items"/> in place (Fisher–Yates).</summary>
    /// <param name="items">The items.</param>
    /// <param name="random">The source of randomness, e.g. <c>new Random(seed)</c>.</param>
    public static void Shuffle<T>(Span<T> items, Random random)
    {
        ArgumentNullException.ThrowIfNull(random);
        for (int i = items.Length - 1; i > 0; i--)
        {
            int j = random.Next(i + 1);
            (items[i], items[j]) = (items[j], items[i]);
        }
    }

    /// <summary>A shuffled copy of <paramref name="data"/>, images and labels moved together.</summary>
    /// <param name="data">The images.</param>
    /// <param name="seed">The seed: the same seed gives the same order.</param>
    public static LabeledImages Shuffle(LabeledImages data, int seed)
    {
        ArgumentNullException.ThrowIfNull(data);
        return data.Select(Permutation(data.Count, new Random(seed)));
    }
}
