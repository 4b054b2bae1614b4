namespace Trilobite.Vision.Detection;

/// <summary>
/// Anchor boxes for a feature pyramid, by torchvision's <c>AnchorGenerator</c> conventions: per level, every size ×
/// every aspect ratio (ratio = h / w; ratios outer, sizes inner), as base anchors [−w/2, −h/2, w/2, h/2] rounded half to
/// even (in float, as torchvision); each placed at the top-left corner of its cell, (j·stride, i·stride), with
/// stride = image // feature. Anchors are listed level by level, then row i, column j, anchor a — the order of an NHWC
/// head output (N, H, W, A·K) reshaped to (N, H·W·A, K).
/// </summary>
public sealed class AnchorGenerator
{
    private readonly double[][] _sizes;
    private readonly double[] _ratios;

    /// <summary>
    /// One list of sizes (the square root of the anchor area, in pixels) per pyramid level, the same count on every level,
    /// and the aspect ratios shared by all; throws <see cref="ArgumentException"/> for empty lists or a non-positive value.
    /// </summary>
    public AnchorGenerator(IReadOnlyList<IReadOnlyList<double>> sizesPerLevel, IReadOnlyList<double> aspectRatios)
    {
        ArgumentNullException.ThrowIfNull(sizesPerLevel);
        ArgumentNullException.ThrowIfNull(aspectRatios);
        if (sizesPerLevel.Count == 0 || aspectRatios.Count == 0 || sizesPerLevel.Any(s => s.Count == 0))
            throw new ArgumentException("An anchor generator needs at least one level, one size per level and one aspect ratio.");
        if (sizesPerLevel.Any(s => s.Count != sizesPerLevel[0].Count))
            throw new ArgumentException("Every pyramid level needs the same number of anchor sizes (the head predicts the same anchors at every level).");
        if (sizesPerLevel.SelectMany(s => s).Concat(aspectRatios).Any(v => !(v > 0) || !double.IsFinite(v)))
            throw new ArgumentException("Anchor sizes and aspect ratios must be positive and finite.");
        _sizes = [.. sizesPerLevel.Select(s => s.ToArray())];
        _ratios = [.. aspectRatios];
    }

    /// <summary>RetinaNet's anchors (Lin et al. 2017): on each level sizes s·2^0, s·2^(1/3), s·2^(2/3) and ratios 0.5, 1, 2.</summary>
    public static AnchorGenerator RetinaNet(IReadOnlyList<double> baseSizes) =>
        new([.. baseSizes.Select(s => (IReadOnlyList<double>)[s, s * Math.Pow(2, 1.0 / 3), s * Math.Pow(2, 2.0 / 3)])], [0.5, 1.0, 2.0]);

    /// <summary>Pyramid levels.</summary>
    public int Levels => _sizes.Length;

    /// <summary>Anchors per feature-map cell (A): sizes × ratios.</summary>
    public int AnchorsPerLocation => _sizes[0].Length * _ratios.Length;

    /// <summary>The A base anchors of <paramref name="level"/>, centred on (0, 0).</summary>
    public Box[] BaseAnchors(int level)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(level);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(level, Levels);
        var anchors = new Box[AnchorsPerLocation];
        int a = 0;
        foreach (double ratio in _ratios)
        {
            float hRatio = MathF.Sqrt((float)ratio), wRatio = 1f / hRatio;
            foreach (double size in _sizes[level])
            {
                float w = wRatio * (float)size, h = hRatio * (float)size;
                anchors[a++] = new Box(MathF.Round(-w / 2), MathF.Round(-h / 2), MathF.Round(w / 2), MathF.Round(h / 2));
            }
        }
        return anchors;
    }

    /// <summary>
    /// Every anchor of an image of <paramref name="imageHeight"/> × <paramref name="imageWidth"/> whose pyramid levels are
    /// <paramref name="featureSizes"/> (height, width) cells; throws <see cref="ArgumentException"/> unless there is one
    /// feature size per level, each at least 1 and at most the image's.
    /// </summary>
    public Box[] Generate(int imageHeight, int imageWidth, IReadOnlyList<(int Height, int Width)> featureSizes)
    {
        ArgumentNullException.ThrowIfNull(featureSizes);
        if (featureSizes.Count != Levels)
            throw new ArgumentException($"The anchor generator has {Levels} levels but was given {featureSizes.Count} feature maps.");
        var all = new List<Box>();
        for (int level = 0; level < Levels; level++)
        {
            var (fh, fw) = featureSizes[level];
            if (fh < 1 || fw < 1 || fh > imageHeight || fw > imageWidth)
                throw new ArgumentException($"Level {level}: a {fh}×{fw} feature map does not fit a {imageHeight}×{imageWidth} image.");
            int strideY = imageHeight / fh, strideX = imageWidth / fw;
            var bases = BaseAnchors(level);
            for (int i = 0; i < fh; i++)
                for (int j = 0; j < fw; j++)
                {
                    float x = j * strideX, y = i * strideY;
                    foreach (var b in bases) all.Add(new Box(x + b.X1, y + b.Y1, x + b.X2, y + b.Y2));
                }
        }
        return [.. all];
    }
}
