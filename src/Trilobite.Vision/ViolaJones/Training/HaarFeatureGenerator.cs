namespace Trilobite.Vision.ViolaJones.Training;

/// <summary>The five upright Haar-feature shapes of Viola–Jones, in OpenCV traincascade's encoding.</summary>
public enum HaarShape
{
    /// <summary>Two rectangles side by side (vertical edge).</summary>
    EdgeX2,
    /// <summary>Two rectangles one above the other (horizontal edge).</summary>
    EdgeY2,
    /// <summary>Three rectangles side by side (vertical line).</summary>
    LineX3,
    /// <summary>Three rectangles stacked (horizontal line).</summary>
    LineY3,
    /// <summary>Four rectangles in a 2 × 2 checkerboard (diagonal).</summary>
    DiagonalX2Y2,
}

/// <summary>Enumerates Haar features for a training window, as OpenCV's <c>CvHaarEvaluator::generateFeatures</c>.</summary>
public static class HaarFeatureGenerator
{
    /// <summary>
    /// The feature of <paramref name="shape"/> whose unit cell is (x, y, dx × dy); weights make it "cell minus rest":
    /// e.g. EdgeX2 = −1·[x, y, 2dx, dy] + 2·[x+dx, y, dx, dy] = right half − left half.
    /// </summary>
    public static HaarFeature Create(HaarShape shape, int x, int y, int dx, int dy) => shape switch
    {
        HaarShape.EdgeX2 => new([new(x, y, 2 * dx, dy, -1), new(x + dx, y, dx, dy, 2)]),
        HaarShape.EdgeY2 => new([new(x, y, dx, 2 * dy, -1), new(x, y + dy, dx, dy, 2)]),
        HaarShape.LineX3 => new([new(x, y, 3 * dx, dy, -1), new(x + dx, y, dx, dy, 3)]),
        HaarShape.LineY3 => new([new(x, y, dx, 3 * dy, -1), new(x, y + dy, dx, dy, 3)]),
        HaarShape.DiagonalX2Y2 => new([new(x, y, 2 * dx, 2 * dy, -1), new(x, y, dx, dy, 2), new(x + dx, y + dy, dx, dy, 2)]),
        _ => throw new ArgumentOutOfRangeException(nameof(shape), shape, "unknown Haar shape"),
    };

    /// <summary>Cells per shape along x and y.</summary>
    public static (int X, int Y) Cells(HaarShape shape) => shape switch
    {
        HaarShape.EdgeX2 => (2, 1),
        HaarShape.EdgeY2 => (1, 2),
        HaarShape.LineX3 => (3, 1),
        HaarShape.LineY3 => (1, 3),
        _ => (2, 2),
    };

    /// <summary>
    /// Every feature of every shape that fits a <paramref name="width"/> × <paramref name="height"/> window, with
    /// positions and cell sizes on a grid of <paramref name="step"/> pixels (step 1: the full set, ~160,000 for 24 × 24).
    /// </summary>
    public static IEnumerable<HaarFeature> All(int width, int height, int step = 1)
    {
        if (step < 1) throw new ArgumentOutOfRangeException(nameof(step), $"step must be >= 1, got {step}.");
        foreach (var shape in Enum.GetValues<HaarShape>())
        {
            var (cx, cy) = Cells(shape);
            for (int dx = step; dx * cx <= width; dx += step)
                for (int dy = step; dy * cy <= height; dy += step)
                    for (int y = 0; y + dy * cy <= height; y += step)
                        for (int x = 0; x + dx * cx <= width; x += step)
                            yield return Create(shape, x, y, dx, dy);
        }
    }

    /// <summary>A uniform random subset of <see cref="All"/> (reservoir sampling), deterministic for a seed.</summary>
    public static List<HaarFeature> Sample(int width, int height, int count, Random random, int step = 1)
    {
        ArgumentNullException.ThrowIfNull(random);
        var reservoir = new List<HaarFeature>(count);
        long seen = 0;
        foreach (var f in All(width, height, step))
        {
            seen++;
            if (reservoir.Count < count) reservoir.Add(f);
            else
            {
                long j = random.NextInt64(seen);
                if (j < count) reservoir[(int)j] = f;
            }
        }
        return reservoir;
    }
}
