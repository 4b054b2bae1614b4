namespace Trilobite.Kernels;

/// <summary>
/// A strided copy of <see cref="Outer"/> × <see cref="Rows"/> runs of <see cref="Length"/> contiguous elements: run (i, j)
/// starts at SourceOffset + i·SourceOuterStride + j·SourceRowStride and lands at the destination's matching place.
/// Concatenation along the channels is one level (rows of each input into a column band of the output), zero padding
/// of NHWC images two (images, then rows of W·C values); their backward passes are the same copies reversed, adding.
/// </summary>
public readonly record struct BlockCopy(int Outer, int Rows, int Length,
    int SourceOffset, int SourceOuterStride, int SourceRowStride,
    int DestinationOffset, int DestinationOuterStride, int DestinationRowStride)
{
    /// <summary>Rows of <paramref name="length"/> values from a matrix of width <paramref name="sourceWidth"/> into one of <paramref name="destinationWidth"/>.</summary>
    public static BlockCopy Columns(int rows, int length, int sourceColumn, int sourceWidth, int destinationColumn, int destinationWidth) =>
        new(1, rows, length, sourceColumn, 0, sourceWidth, destinationColumn, 0, destinationWidth);

    /// <summary>The same runs with source and destination swapped (a backward pass).</summary>
    public BlockCopy Reversed() => new(Outer, Rows, Length, DestinationOffset, DestinationOuterStride, DestinationRowStride,
        SourceOffset, SourceOuterStride, SourceRowStride);

    /// <summary>Throws unless every run lies inside operands of these lengths.</summary>
    public void Validate(int sourceLength, int destinationLength)
    {
        if (Outer < 0 || Rows < 0 || Length < 0)
            throw new ArgumentOutOfRangeException(nameof(Outer), $"Block copy: counts must be non-negative, got {Outer}×{Rows}×{Length}.");
        if (Outer == 0 || Rows == 0 || Length == 0) return;
        Fits("source", SourceOffset, SourceOuterStride, SourceRowStride, sourceLength);
        Fits("destination", DestinationOffset, DestinationOuterStride, DestinationRowStride, destinationLength);
    }

    private void Fits(string which, int offset, int outerStride, int rowStride, int length)
    {
        if (offset < 0 || outerStride < 0 || rowStride < 0)
            throw new ArgumentOutOfRangeException(nameof(offset), $"Block copy: the {which} offset and strides must be non-negative.");
        long last = offset + (long)(Outer - 1) * outerStride + (long)(Rows - 1) * rowStride + Length;
        if (last > length)
            throw new ArgumentException($"Block copy: the {which} needs {last} elements but has {length}.");
    }

    /// <summary>Copies (or, with <paramref name="accumulate"/>, adds) every run from <paramref name="source"/> to <paramref name="destination"/>.</summary>
    public static void Run(in BlockCopy b, ReadOnlySpan<float> source, Span<float> destination, bool accumulate)
    {
        b.Validate(source.Length, destination.Length);
        if (b.Length < ShortRun) { RunShort(b, source, destination, accumulate); return; }
        for (int i = 0; i < b.Outer; i++)
            for (int j = 0; j < b.Rows; j++)
            {
                var from = source.Slice(b.SourceOffset + i * b.SourceOuterStride + j * b.SourceRowStride, b.Length);
                var to = destination.Slice(b.DestinationOffset + i * b.DestinationOuterStride + j * b.DestinationRowStride, b.Length);
                if (accumulate) System.Numerics.Tensors.TensorPrimitives.Add(to, from, to);
                else from.CopyTo(to);
            }
    }

    /// <summary>Runs shorter than this are copied element by element: a span call costs more than a few values (a detector's 4 box deltas per anchor).</summary>
    private const int ShortRun = 16;

    private static void RunShort(in BlockCopy b, ReadOnlySpan<float> source, Span<float> destination, bool accumulate)
    {
        for (int i = 0; i < b.Outer; i++)
        {
            int from = b.SourceOffset + i * b.SourceOuterStride, to = b.DestinationOffset + i * b.DestinationOuterStride;
            for (int j = 0; j < b.Rows; j++, from += b.SourceRowStride, to += b.DestinationRowStride)
            {
                ReadOnlySpan<float> run = source.Slice(from, b.Length);
                Span<float> target = destination.Slice(to, b.Length);
                if (accumulate) for (int k = 0; k < run.Length; k++) target[k] += run[k];
                else for (int k = 0; k < run.Length; k++) target[k] = run[k];
            }
        }
    }
}
