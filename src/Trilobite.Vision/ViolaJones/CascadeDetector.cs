using System.Buffers;
using Trilobite.Vision.Imaging;

namespace Trilobite.Vision.ViolaJones;

/// <summary>
/// Multi-scale sliding-window detection with a <see cref="HaarCascade"/>, following OpenCV 4's
/// <c>CascadeClassifier::detectMultiScale</c> step for step so that boxes agree with it: the image is shrunk by
/// powers of the scale factor (bit-exact bilinear resize), each level gets integral images, the fixed-size window
/// slides with step 2 (1 once the scale reaches 2; an extra step after a first-stage rejection), hits are mapped
/// back to image coordinates and grouped with <see cref="RectangleGrouping"/>. Pyramid levels run in parallel.
/// Thread-safe: one detector may serve many threads.
/// <code>
/// var detector = new CascadeDetector(HaarCascade.FrontalFaceDefault());
/// foreach (var box in detector.DetectMultiScale(ImageFile.Load("photo.jpg").ToGray()))
///     Console.WriteLine(box);   // "x y w h"
/// </code>
/// </summary>
public sealed class CascadeDetector
{
    private CompiledCascade? compiled;   // for the last stride used; replaced when an image of another width comes

    /// <summary>A detector for <paramref name="cascade"/>; throws <see cref="ArgumentNullException"/> when it is null.</summary>
    public CascadeDetector(HaarCascade cascade)
    {
        Cascade = cascade ?? throw new ArgumentNullException(nameof(cascade));
    }

    /// <summary>The cascade every window is tested with.</summary>
    public HaarCascade Cascade { get; }

    /// <summary>Detects objects and returns grouped boxes in image coordinates.</summary>
    public List<PixelRect> DetectMultiScale(GrayImage image, DetectionOptions? options = null)
    {
        options ??= DetectionOptions.Default;
        var raw = DetectCandidates(image, options);
        return RectangleGrouping.Group(raw, options.MinNeighbors, RectangleGrouping.DefaultEps);
    }

    /// <summary>The raw window hits before grouping, ordered by pyramid level, then row, then column.</summary>
    public List<PixelRect> DetectCandidates(GrayImage image, DetectionOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(image);
        options ??= DetectionOptions.Default;
        options.Validate();
        int ww = Cascade.WindowWidth, wh = Cascade.WindowHeight;
        var scales = PyramidScales(image.Width, image.Height, ww, wh, options);
        if (scales.Count == 0)
            return [];

        var sizes = scales.Select(s => (W: (int)MathF.Round(image.Width / s), H: (int)MathF.Round(image.Height / s))).ToArray();
        int stride = sizes.Max(z => z.W) + 1;
        var cc = compiled;
        if (cc is null || cc.Stride != stride)
            compiled = cc = new CompiledCascade(Cascade, stride);

        var perLevel = new List<PixelRect>[scales.Count];
        // A fixed set of workers takes the levels largest first, each with one set of buffers sized by the full-size
        // level and reused for all its levels: memory is bounded by the workers times one level. (Parallel.ForEach's
        // per-task state would not do: it starts new tasks as the loop runs, each with fresh buffers.)
        int workers = Math.Min(scales.Count, options.MaxDegreeOfParallelism > 0 ? options.MaxDegreeOfParallelism : Environment.ProcessorCount);
        int largest = sizes[0].W * sizes[0].H, largestCells = stride * (sizes[0].H + 1), next = -1;
        Parallel.For(0, workers, new ParallelOptions { MaxDegreeOfParallelism = workers }, _ =>
        {
            using var buffers = new LevelBuffers(largest, largestCells);
            for (int level; (level = Interlocked.Increment(ref next)) < scales.Count;)
                perLevel[level] = ScanLevel(image, scales[level], sizes[level].W, sizes[level].H, cc, buffers);
        });
        return perLevel.SelectMany(l => l).ToList();
    }

    /// <summary>
    /// The per-window test on its own: true when every stage accepts the window whose top-left corner is (x, y) in
    /// <paramref name="integral"/> (used to mine false alarms while training, and to score single windows).
    /// </summary>
    public unsafe bool Accepts(IntegralImage integral, int x = 0, int y = 0)
    {
        ArgumentNullException.ThrowIfNull(integral);
        if (x < 0 || y < 0 || x + Cascade.WindowWidth > integral.Width || y + Cascade.WindowHeight > integral.Height)
            throw new ArgumentOutOfRangeException(nameof(x), $"Accepts: window at ({x}, {y}) of {Cascade.WindowWidth}x{Cascade.WindowHeight} leaves the {integral.Width}x{integral.Height} image.");
        var cc = compiled;
        if (cc is null || cc.Stride != integral.Stride)
            compiled = cc = new CompiledCascade(Cascade, integral.Stride);
        fixed (int* s = integral.SumTable, q = integral.SquareTable)
            return cc.RunAt(s, q, y * integral.Stride + x) > 0;
    }

    /// <summary>
    /// OpenCV's scale list: factors 1, f, f², … (as floats) while the rounded window fits the image, then those whose
    /// window lies within [min, max] size; when none does and min = max, the single closest one.
    /// </summary>
    public static List<float> PyramidScales(int imageWidth, int imageHeight, int windowWidth, int windowHeight, DetectionOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        int maxW = options.MaxWidth, maxH = options.MaxHeight;
        if (maxW == 0 || maxH == 0)
            (maxW, maxH) = (imageWidth, imageHeight);
        var all = new List<float>();
        if (imageWidth < windowWidth || imageHeight < windowHeight)
            return all;
        for (double factor = 1; ; factor *= options.ScaleFactor)
        {
            int w = (int)Math.Round(windowWidth * factor), h = (int)Math.Round(windowHeight * factor);
            if (w > imageWidth || h > imageHeight)
                break;
            all.Add((float)factor);
        }
        var scales = new List<float>();
        foreach (float s in all)
        {
            var (w, h) = WindowSize(windowWidth, windowHeight, s);
            if (w > maxW || h > maxH)
                break;
            if (w < options.MinWidth || h < options.MinHeight)
                continue;
            scales.Add(s);
        }
        if (scales.Count == 0 && all.Count > 0 && options.MinWidth == maxW && options.MinHeight == maxH)
        {
            scales.Add(all.MinBy(s =>
            {
                var (w, h) = WindowSize(windowWidth, windowHeight, s);
                return (double)(options.MinWidth - w) * (options.MinWidth - w) + (double)(options.MinHeight - h) * (options.MinHeight - h);
            }));
        }
        return scales;
    }

    private static (int W, int H) WindowSize(int ww, int wh, float scale) =>
        ((int)MathF.Round(ww * scale), (int)MathF.Round(wh * scale));

    private unsafe List<PixelRect> ScanLevel(GrayImage image, float scale, int w, int h, CompiledCascade cc, LevelBuffers buffers)
    {
        var found = new List<PixelRect>();
        int ww = Cascade.WindowWidth, wh = Cascade.WindowHeight;
        int stride = cc.Stride;
        byte[] resized = buffers.Resized;
        int[] sum = buffers.Sum, sq = buffers.Squares;
        LinearResize.Resize(image.Pixels, image.Width, image.Height, resized, w, h);
        IntegralImage.ComputeInto(resized.AsSpan(0, w * h), w, h, sum, sq, stride);

        int step = scale >= 2 ? 1 : 2;
        int xEnd = Math.Max(w + 1 - ww, 0), yEnd = Math.Max(h + 1 - wh, 0);
        var (winW, winH) = WindowSize(ww, wh, scale);
        fixed (int* ps = sum, pq = sq)
        {
            for (int y = 0; y < yEnd; y += step)
            {
                for (int x = 0; x < xEnd; x += step)
                {
                    int result = cc.RunAt(ps, pq, y * stride + x);
                    if (result > 0)
                        found.Add(new PixelRect((int)MathF.Round(x * scale), (int)MathF.Round(y * scale), winW, winH));
                    else if (result == 0)
                        x += step;   // rejected by the first stage: skip a position, as OpenCV does
                }
            }
        }
        return found;
    }

    /// <summary>
    /// One worker's resized level and its two integral tables. Small ones come from the array pool; large ones (a
    /// photo's first levels) are the worker's own, so the pool does not keep gigabytes alive after the scan.
    /// </summary>
    private sealed class LevelBuffers : IDisposable
    {
        private const int MaxPooledCells = 1 << 20;
        private readonly bool _pooled;

        public LevelBuffers(int pixels, int cells)
        {
            _pooled = cells <= MaxPooledCells;
            Resized = _pooled ? ArrayPool<byte>.Shared.Rent(pixels) : GC.AllocateUninitializedArray<byte>(pixels);
            Sum = _pooled ? ArrayPool<int>.Shared.Rent(cells) : GC.AllocateUninitializedArray<int>(cells);
            Squares = _pooled ? ArrayPool<int>.Shared.Rent(cells) : GC.AllocateUninitializedArray<int>(cells);
        }

        public byte[] Resized { get; }
        public int[] Sum { get; }
        public int[] Squares { get; }

        public void Dispose()
        {
            if (!_pooled) return;
            ArrayPool<byte>.Shared.Return(Resized);
            ArrayPool<int>.Shared.Return(Sum);
            ArrayPool<int>.Shared.Return(Squares);
        }
    }
}
