namespace Trilobite.Vision.ViolaJones;

/// <summary>
/// OpenCV's <c>groupRectangles</c>: raw detections are partitioned into classes of "similar" boxes (transitive
/// closure of the predicate below), each class is averaged, classes with ≤ groupThreshold members are dropped, and
/// a box lying inside a stronger one is dropped. Two boxes are similar when every edge moves by at most
/// δ = eps · (min(w1, w2) + min(h1, h2)) / 2.
/// </summary>
public static class RectangleGrouping
{
    /// <summary>OpenCV's <c>GROUP_EPS</c> for detectMultiScale.</summary>
    public const double DefaultEps = 0.2;

    /// <summary>OpenCV's <c>SimilarRects</c> predicate.</summary>
    public static bool Similar(PixelRect r1, PixelRect r2, double eps)
    {
        double delta = eps * (Math.Min(r1.Width, r2.Width) + Math.Min(r1.Height, r2.Height)) * 0.5;
        return Math.Abs(r1.X - r2.X) <= delta && Math.Abs(r1.Y - r2.Y) <= delta
            && Math.Abs(r1.X + r1.Width - r2.X - r2.Width) <= delta
            && Math.Abs(r1.Y + r1.Height - r2.Y - r2.Height) <= delta;
    }

    /// <summary>
    /// Groups raw detections; with groupThreshold ≤ 0 the input is returned unchanged (as OpenCV does).
    /// Output order: classes in order of their first member.
    /// </summary>
    public static List<PixelRect> Group(IReadOnlyList<PixelRect> rects, int groupThreshold, double eps = DefaultEps)
    {
        ArgumentNullException.ThrowIfNull(rects);
        if (groupThreshold <= 0 || rects.Count == 0)
            return rects.ToList();

        var labels = Partition(rects, eps, out int nclasses);
        var sums = new (long X, long Y, long W, long H)[nclasses];
        var counts = new int[nclasses];
        for (int i = 0; i < rects.Count; i++)
        {
            int c = labels[i];
            var r = rects[i];
            sums[c] = (sums[c].X + r.X, sums[c].Y + r.Y, sums[c].W + r.Width, sums[c].H + r.Height);
            counts[c]++;
        }

        // Average as OpenCV: float s = 1/n, saturate_cast<int>(sum * s) (int * float in float, round half even).
        var avg = new PixelRect[nclasses];
        for (int c = 0; c < nclasses; c++)
        {
            float s = 1f / counts[c];
            avg[c] = new PixelRect(Round(sums[c].X * s), Round(sums[c].Y * s), Round(sums[c].W * s), Round(sums[c].H * s));
        }

        var result = new List<PixelRect>();
        for (int i = 0; i < nclasses; i++)
        {
            var r1 = avg[i];
            int n1 = counts[i];
            if (n1 <= groupThreshold)
                continue;
            bool inside = false;
            for (int j = 0; j < nclasses && !inside; j++)
            {
                int n2 = counts[j];
                if (j == i || n2 <= groupThreshold)
                    continue;
                var r2 = avg[j];
                int dx = (int)Math.Round(r2.Width * eps, MidpointRounding.ToEven);
                int dy = (int)Math.Round(r2.Height * eps, MidpointRounding.ToEven);
                inside = r1.X >= r2.X - dx && r1.Y >= r2.Y - dy
                    && r1.X + r1.Width <= r2.X + r2.Width + dx && r1.Y + r1.Height <= r2.Y + r2.Height + dy
                    && (n2 > Math.Max(3, n1) || n1 < 3);
            }
            if (!inside)
                result.Add(r1);
        }
        return result;
    }

    /// <summary>Union–find over all similar pairs (OpenCV's <c>partition</c>); labels numbered by first appearance.</summary>
    internal static int[] Partition(IReadOnlyList<PixelRect> rects, double eps, out int nclasses)
    {
        int n = rects.Count;
        var parent = new int[n];
        for (int i = 0; i < n; i++) parent[i] = i;
        for (int i = 0; i < n; i++)
            for (int j = i + 1; j < n; j++)
                if (Similar(rects[i], rects[j], eps))
                {
                    int a = Find(parent, i), b = Find(parent, j);
                    if (a != b) parent[Math.Max(a, b)] = Math.Min(a, b);
                }
        var labels = new int[n];
        var classOfRoot = new Dictionary<int, int>();
        for (int i = 0; i < n; i++)
        {
            int root = Find(parent, i);
            if (!classOfRoot.TryGetValue(root, out int c))
                classOfRoot[root] = c = classOfRoot.Count;
            labels[i] = c;
        }
        nclasses = classOfRoot.Count;
        return labels;
    }

    private static int Find(int[] parent, int i)
    {
        while (parent[i] != i)
        {
            parent[i] = parent[parent[i]];
            i = parent[i];
        }
        return i;
    }

    private static int Round(float v) => (int)MathF.Round(v, MidpointRounding.ToEven);
}
