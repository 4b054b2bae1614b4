namespace Trilobite.Vision.ViolaJones;

/// <summary>One weighted rectangle of a Haar-like feature, in window coordinates.</summary>
public readonly record struct HaarRect(int X, int Y, int Width, int Height, float Weight);

/// <summary>
/// A Haar-like feature: the weighted sum of two or three rectangle sums, as OpenCV stores it. The classic shapes
/// (Viola–Jones, and OpenCV's traincascade) are written as a whole rectangle with weight −1 plus the "other" part
/// with a positive weight, so that the result is (other − rest):
/// two-rectangle (edge) x2: [x, y, 2w, h, −1] + [x+w, y, w, h, +2];
/// three-rectangle (line) x3: [x, y, 3w, h, −1] + [x+w, y, w, h, +3];
/// four-rectangle (diagonal) x2y2: [x, y, 2w, 2h, −1] + [x, y, w, h, +2] + [x+w, y+h, w, h, +2].
/// Evaluated with an integral image in constant time (4 lookups per rectangle).
/// </summary>
public sealed class HaarFeature
{
    /// <summary>OpenCV's limit: a feature has at most three rectangles.</summary>
    public const int MaxRects = 3;

    /// <summary>A feature of 1 to <see cref="MaxRects"/> rectangles (copied); throws <see cref="ArgumentException"/> for a negative position or an empty rectangle.</summary>
    public HaarFeature(IReadOnlyList<HaarRect> rects)
    {
        ArgumentNullException.ThrowIfNull(rects);
        if (rects.Count is < 1 or > MaxRects)
            throw new ArgumentException($"HaarFeature: needs 1 to {MaxRects} rectangles, got {rects.Count}.", nameof(rects));
        foreach (var r in rects)
            if (r.X < 0 || r.Y < 0 || r.Width <= 0 || r.Height <= 0)
                throw new ArgumentException($"HaarFeature: rectangle {r} must have x, y >= 0 and a positive size.", nameof(rects));
        Rects = rects.ToArray();
    }

    /// <summary>The weighted rectangles, in window coordinates, in the order they are summed.</summary>
    public IReadOnlyList<HaarRect> Rects { get; }

    /// <summary>True when every rectangle lies inside a window of the given size.</summary>
    public bool FitsIn(int windowWidth, int windowHeight) =>
        Rects.All(r => r.X + r.Width <= windowWidth && r.Y + r.Height <= windowHeight);

    /// <summary>
    /// Σ weight · rectSum for the window whose top-left corner is (x, y), in float, in the order OpenCV adds them
    /// (so that thresholds compare exactly as in OpenCV). Not variance-normalised.
    /// </summary>
    public float Evaluate(IntegralImage ii, int x, int y)
    {
        var r0 = Rects[0];
        float s0 = ii.Sum(x + r0.X, y + r0.Y, r0.Width, r0.Height);
        if (Rects.Count == 1)
            return r0.Weight * s0;
        var r1 = Rects[1];
        float sum = r0.Weight * s0 + r1.Weight * ii.Sum(x + r1.X, y + r1.Y, r1.Width, r1.Height);
        if (Rects.Count > 2)
        {
            var r2 = Rects[2];
            sum += r2.Weight * ii.Sum(x + r2.X, y + r2.Y, r2.Width, r2.Height);
        }
        return sum;
    }

    /// <summary>The rectangles as "weight·[x,y,wxh]" terms joined by " + ".</summary>
    public override string ToString() => string.Join(" + ", Rects.Select(r => $"{r.Weight}·[{r.X},{r.Y},{r.Width}x{r.Height}]"));
}
