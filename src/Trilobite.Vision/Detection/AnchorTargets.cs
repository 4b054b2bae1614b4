namespace Trilobite.Vision.Detection;

/// <summary>
/// What a one-stage detector is trained towards, per anchor: one row of K + 5 values — the one-hot class (all zero for
/// background), the box deltas of its matched ground truth (<see cref="BoxCoder"/>), and its state: 1 foreground, 0
/// background, −1 ignored (between the matcher's thresholds). <see cref="RetinaNetLoss"/> reads these rows.
/// </summary>
public static class AnchorTargets
{
    /// <summary>State of a foreground anchor.</summary>
    public const float Foreground = 1, Background = 0, Ignored = -1;

    /// <summary>Fills <paramref name="rows"/> (anchors × (classes + 5)) for one image's <paramref name="truth"/>.</summary>
    public static void Encode(IReadOnlyList<GroundTruth> truth, IReadOnlyList<Box> anchors, int classes, Matcher matcher, BoxCoder coder, Span<float> rows)
    {
        int width = classes + 5;
        if (rows.Length != anchors.Count * width) throw new ArgumentException($"{anchors.Count} anchors need {anchors.Count * width} target values, got {rows.Length}.");
        rows.Clear();
        var usable = truth.Where(g => !g.Difficult && g.Box.Width > 0 && g.Box.Height > 0).ToArray();
        var matches = matcher.Match(BoxOverlap.IouMatrix([.. usable.Select(g => g.Box)], anchors));
        for (int a = 0; a < anchors.Count; a++)
        {
            var row = rows.Slice(a * width, width);
            int m = matches[a];
            if (m == Matcher.Background) continue;
            if (m == Matcher.Ignored) { row[^1] = Ignored; continue; }
            var g = usable[m];
            if (g.Label < 0 || g.Label >= classes) throw new ArgumentException($"Ground truth class {g.Label} is outside 0 to {classes - 1}.");
            row[g.Label] = 1;
            (row[classes], row[classes + 1], row[classes + 2], row[classes + 3]) = coder.Encode(g.Box, anchors[a]);
            row[^1] = Foreground;
        }
    }
}
