using Trilobite.Vision.Imaging;

namespace Trilobite.Vision.ViolaJones;

/// <summary>
/// Summed-area tables of an 8-bit image, laid out as OpenCV's <c>integral()</c>: (W+1) × (H+1) entries with a zero
/// first row and column, sum[y][x] = Σ_{j&lt;y, i&lt;x} p(i, j). Any rectangle sum is four lookups.
/// The squared table is kept in 32-bit integers that wrap, as OpenCV's CV_32S one does; differences over a
/// window are still exact as long as the window's own sum of squares fits in 32 bits (windows up to ~66,000 pixels).
/// </summary>
public sealed class IntegralImage
{
    private IntegralImage(int width, int height, int[] sum, int[] squares)
    {
        Width = width;
        Height = height;
        SumTable = sum;
        SquareTable = squares;
    }

    /// <summary>Size of the source image.</summary>
    public int Width { get; }
    /// <summary>Height of the source image.</summary>
    public int Height { get; }
    /// <summary>Row length of the tables: Width + 1.</summary>
    public int Stride => Width + 1;
    /// <summary>The pixel sums, (<see cref="Height"/> + 1) rows of <see cref="Stride"/> entries.</summary>
    public int[] SumTable { get; }
    /// <summary>The sums of squared pixels, laid out as <see cref="SumTable"/> (wrapping 32-bit).</summary>
    public int[] SquareTable { get; }

    /// <summary>The tables of <paramref name="image"/>.</summary>
    public static IntegralImage Compute(GrayImage image)
    {
        ArgumentNullException.ThrowIfNull(image);
        return Compute(image.Pixels, image.Width, image.Height);
    }

    /// <summary>The tables of a row-major <paramref name="width"/> × <paramref name="height"/> grey image; throws <see cref="ArgumentException"/> when the size is not positive or <paramref name="pixels"/> is too short.</summary>
    public static IntegralImage Compute(ReadOnlySpan<byte> pixels, int width, int height)
    {
        if (width <= 0 || height <= 0 || pixels.Length < width * height)
            throw new ArgumentException($"IntegralImage: {width}x{height} needs {width * height} pixels, got {pixels.Length}.");
        int stride = width + 1;
        var sum = new int[stride * (height + 1)];
        var sq = new int[stride * (height + 1)];
        ComputeInto(pixels, width, height, sum, sq, stride);
        return new IntegralImage(width, height, sum, sq);
    }

    /// <summary>
    /// Fills (width+1) × (height+1) tables with row length <paramref name="stride"/> (≥ width + 1), so that several
    /// pyramid levels can share one stride and therefore one set of precomputed feature offsets.
    /// </summary>
    internal static void ComputeInto(ReadOnlySpan<byte> pixels, int width, int height, Span<int> sum, Span<int> sq, int stride)
    {
        sum[..(width + 1)].Clear();
        sq[..(width + 1)].Clear();
        for (int y = 0; y < height; y++)
        {
            var p = pixels.Slice(y * width, width);
            var prev = sum.Slice(y * stride, width + 1);
            var prevQ = sq.Slice(y * stride, width + 1);
            var cur = sum.Slice((y + 1) * stride, width + 1);
            var curQ = sq.Slice((y + 1) * stride, width + 1);
            cur[0] = 0;
            curQ[0] = 0;
            int s = 0, q = 0;
            for (int x = 0; x < width; x++)
            {
                int v = p[x];
                s += v;
                q = unchecked(q + v * v);
                cur[x + 1] = prev[x + 1] + s;
                curQ[x + 1] = unchecked(prevQ[x + 1] + q);
            }
        }
    }

    /// <summary>Sum of the pixels in the rectangle with top-left (x, y) and the given size.</summary>
    public int Sum(int x, int y, int width, int height)
    {
        int s = Stride, a = y * s + x, b = (y + height) * s + x;
        return SumTable[a] - SumTable[a + width] - SumTable[b] + SumTable[b + width];
    }

    /// <summary>Sum of the squared pixels in the rectangle (exact while it fits in 32 bits).</summary>
    public uint SquareSum(int x, int y, int width, int height)
    {
        int s = Stride, a = y * s + x, b = (y + height) * s + x;
        return unchecked((uint)(SquareTable[a] - SquareTable[a + width] - SquareTable[b] + SquareTable[b + width]));
    }

    /// <summary>
    /// OpenCV's per-window variance normalisation for a window of the given size at (x, y): over the window shrunk
    /// by one pixel on each side (area A), nf = sqrt(A·Σp² − (Σp)²) = A·σ, factor = 1/nf; feature values are
    /// multiplied by it. Returns false (and factor 1) when the window is flat or its contrast too low for OpenCV
    /// to evaluate it (A · factor ≥ 0.1, that is σ ≤ 10 grey levels).
    /// </summary>
    public bool TryNormFactor(int x, int y, int windowWidth, int windowHeight, out float factor)
    {
        int valsum = Sum(x + 1, y + 1, windowWidth - 2, windowHeight - 2);
        uint valsq = SquareSum(x + 1, y + 1, windowWidth - 2, windowHeight - 2);
        return NormFactor((windowWidth - 2) * (windowHeight - 2), valsum, valsq, out factor);
    }

    /// <summary>The normalisation formula shared by detection and training (OpenCV's HaarEvaluator::setWindow).</summary>
    internal static bool NormFactor(double area, int valsum, uint valsq, out float factor)
    {
        double nf = area * valsq - (double)valsum * valsum;
        if (nf > 0)
        {
            factor = (float)(1.0 / Math.Sqrt(nf));
            return area * factor < 1e-1;
        }
        factor = 1f;
        return false;
    }
}
