namespace Trilobite.Vision.Detection;

/// <summary>
/// Assigns ground-truth boxes to anchors by IoU, as torchvision's <c>Matcher</c>: each anchor takes the ground truth it
/// overlaps most (the first on a tie); IoU ≥ the foreground threshold keeps it, below the background threshold makes the
/// anchor <see cref="Background"/>, in between <see cref="Ignored"/> (no loss either way). With low-quality matches, every
/// ground truth also keeps the anchors it overlaps best (all of them on a tie), even below the threshold — such an anchor
/// takes its own best ground truth, as torchvision does. Unlike torchvision, a ground truth whose best IoU is 0 (it
/// overlaps no anchor) claims nothing: torchvision would hand it every anchor it does not touch.
/// </summary>
public sealed class Matcher
{
    /// <summary>An anchor matched to nothing: a background example for the classifier.</summary>
    public const int Background = -1;

    /// <summary>An anchor between the thresholds: neither trained as background nor as an object.</summary>
    public const int Ignored = -2;

    /// <summary>Thresholds as RetinaNet uses them (0.5 and 0.4); throws <see cref="ArgumentException"/> unless 0 ≤ background ≤ foreground ≤ 1.</summary>
    public Matcher(double foregroundThreshold = 0.5, double backgroundThreshold = 0.4, bool allowLowQualityMatches = true)
    {
        if (!(backgroundThreshold >= 0 && backgroundThreshold <= foregroundThreshold && foregroundThreshold <= 1))
            throw new ArgumentException($"Matcher thresholds need 0 ≤ background ≤ foreground ≤ 1, got background {backgroundThreshold} and foreground {foregroundThreshold}.");
        ForegroundThreshold = foregroundThreshold;
        BackgroundThreshold = backgroundThreshold;
        AllowLowQualityMatches = allowLowQualityMatches;
    }

    /// <summary>IoU at which an anchor becomes an object's.</summary>
    public double ForegroundThreshold { get; }

    /// <summary>IoU below which an anchor is background.</summary>
    public double BackgroundThreshold { get; }

    /// <summary>Whether every ground truth keeps its best anchors whatever their IoU.</summary>
    public bool AllowLowQualityMatches { get; }

    /// <summary>
    /// For each anchor (column of <paramref name="quality"/>, ground truths × anchors): the index of its ground truth,
    /// <see cref="Background"/> or <see cref="Ignored"/>. No ground truths: every anchor is background.
    /// </summary>
    public int[] Match(double[,] quality)
    {
        ArgumentNullException.ThrowIfNull(quality);
        int gts = quality.GetLength(0), anchors = quality.GetLength(1);
        var matches = new int[anchors];
        if (gts == 0) { Array.Fill(matches, Background); return matches; }
        var best = new int[anchors];
        for (int a = 0; a < anchors; a++)
        {
            int g = 0;
            for (int k = 1; k < gts; k++) if (quality[k, a] > quality[g, a]) g = k;
            best[a] = g;
            double v = quality[g, a];
            matches[a] = v >= ForegroundThreshold ? g : v < BackgroundThreshold ? Background : Ignored;
        }
        if (!AllowLowQualityMatches) return matches;
        for (int g = 0; g < gts; g++)
        {
            double highest = 0;
            for (int a = 0; a < anchors; a++) highest = Math.Max(highest, quality[g, a]);
            if (highest <= 0) continue;
            for (int a = 0; a < anchors; a++) if (quality[g, a] == highest) matches[a] = best[a];
        }
        return matches;
    }
}
