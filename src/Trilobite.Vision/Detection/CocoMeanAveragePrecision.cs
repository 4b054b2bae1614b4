namespace Trilobite.Vision.Detection;

/// <summary>The COCO summary numbers: AP over IoU 0.50:0.05:0.95, AP at 0.50 and 0.75, and the average recall with at most 1, 10 and 100 detections per image.</summary>
public sealed record CocoScores(double AP, double AP50, double AP75, double AR1, double AR10, double AR100, double[] PerClassAP);

/// <summary>
/// COCO's bounding-box mAP by pycocotools' COCOeval rules (area range "all"): per image and class at most 100 detections
/// by decreasing score; at each IoU threshold 0.50, 0.55, …, 0.95 each detection takes the best still-unmatched ground
/// truth with IoU ≥ the threshold (a non-ignored one before an ignored one); precision at 101 recall points 0, 0.01, …, 1
/// from the precision envelope; classes without ground truth left out. Difficult ground truths are COCO's ignored ones
/// (a detection matching one counts neither way).
/// </summary>
public static class CocoMeanAveragePrecision
{
    private const int RecallPoints = 101;
    private static readonly double[] Thresholds = [.. Enumerable.Range(0, 10).Select(i => 0.5 + 0.05 * i)];

    /// <summary>The summary numbers over <paramref name="classes"/> classes; throws <see cref="ArgumentException"/> for a label out of range or a malformed box.</summary>
    public static CocoScores Evaluate(IReadOnlyList<ImageResult> images, int classes)
    {
        ArgumentNullException.ThrowIfNull(images);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(classes);
        DetectionChecks.Labels(images, classes);
        int[] maxDets = [1, 10, 100];
        // precision[t][k] (101 points, null without ground truth) at 100 detections; recall[t][k][m].
        var precision = new double[Thresholds.Length, classes][];
        var recall = new double[Thresholds.Length, classes, maxDets.Length];
        for (int k = 0; k < classes; k++)
        {
            var matched = images.Select(im => MatchImage(im, k)).ToArray();
            int positives = matched.Sum(m => m.Positives);
            for (int t = 0; t < Thresholds.Length; t++)
                for (int m = 0; m < maxDets.Length; m++)
                {
                    if (positives == 0) { recall[t, k, m] = double.NaN; continue; }
                    var (r, p) = Accumulate(matched, t, maxDets[m], positives);
                    recall[t, k, m] = r;
                    if (maxDets[m] == 100) precision[t, k] = p;
                }
        }
        double MeanPrecision(int? threshold, int k = -1)
        {
            var values = new List<double>();
            for (int t = 0; t < Thresholds.Length; t++)
                for (int c = 0; c < classes; c++)
                    if ((threshold == null || t == threshold) && (k < 0 || c == k) && precision[t, c] is { } q) values.AddRange(q);
            return values.Count == 0 ? double.NaN : values.Average();
        }
        double MeanRecall(int m)
        {
            var values = new List<double>();
            foreach (var (t, c) in from t in Enumerable.Range(0, Thresholds.Length) from c in Enumerable.Range(0, classes) select (t, c))
                if (!double.IsNaN(recall[t, c, m])) values.Add(recall[t, c, m]);
            return values.Count == 0 ? double.NaN : values.Average();
        }
        return new CocoScores(MeanPrecision(null), MeanPrecision(0), MeanPrecision(5), MeanRecall(0), MeanRecall(1), MeanRecall(2),
            [.. Enumerable.Range(0, classes).Select(k => MeanPrecision(null, k))]);
    }

    /// <summary>One image and class: its detections (best first, at most 100) with, per threshold, whether each matched and whether it is ignored.</summary>
    private sealed record ImageMatches(float[] Scores, bool[,] Matched, bool[,] Ignored, int Positives);

    private static ImageMatches MatchImage(ImageResult image, int label)
    {
        // Ground truths: the non-ignored first (pycocotools sorts them so); detections by decreasing score, at most 100.
        var truth = image.Truth.Where(g => g.Label == label).OrderBy(g => g.Difficult ? 1 : 0).ToArray();
        var detections = image.Detections.Where(d => d.Label == label).Select((d, i) => (d, i))
            .OrderByDescending(x => x.d.Score).ThenBy(x => x.i).Take(100).Select(x => x.d).ToArray();
        var iou = BoxOverlap.IouMatrix([.. detections.Select(d => d.Box)], [.. truth.Select(g => g.Box)]);
        var matched = new bool[Thresholds.Length, detections.Length];
        var ignored = new bool[Thresholds.Length, detections.Length];
        for (int t = 0; t < Thresholds.Length; t++)
        {
            var taken = new bool[truth.Length];
            for (int d = 0; d < detections.Length; d++)
            {
                double best = Math.Min(Thresholds[t], 1 - 1e-10);
                int m = -1;
                for (int g = 0; g < truth.Length; g++)
                {
                    if (taken[g]) continue;
                    if (m > -1 && !truth[m].Difficult && truth[g].Difficult) break;     // a real match beats an ignored one
                    if (iou[d, g] < best) continue;
                    best = iou[d, g];
                    m = g;
                }
                if (m < 0) continue;
                taken[m] = true;
                matched[t, d] = true;
                ignored[t, d] = truth[m].Difficult;
            }
        }
        return new ImageMatches([.. detections.Select(d => d.Score)], matched, ignored, truth.Count(g => !g.Difficult));
    }

    /// <summary>Final recall and the 101-point interpolated precision of one class at threshold <paramref name="t"/> with <paramref name="maxDet"/> detections per image.</summary>
    private static (double Recall, double[] Precision) Accumulate(ImageMatches[] images, int t, int maxDet, int positives)
    {
        // All images' first maxDet detections, by decreasing score; a stable sort keeps image order on ties (numpy's mergesort).
        var all = images.SelectMany(im => Enumerable.Range(0, Math.Min(maxDet, im.Scores.Length)).Select(d => (im.Scores[d], Matched: im.Matched[t, d], Ignored: im.Ignored[t, d])))
            .Select((x, order) => (x, order)).OrderByDescending(x => x.x.Item1).ThenBy(x => x.order).Select(x => x.x).Where(x => !x.Ignored).ToArray();
        int n = all.Length;
        var rc = new double[n];
        var pr = new double[n];
        int tp = 0, fp = 0;
        for (int i = 0; i < n; i++)
        {
            if (all[i].Matched) tp++; else fp++;
            rc[i] = (double)tp / positives;
            pr[i] = tp / (tp + fp + Math.BitIncrement(1.0) - 1.0);
        }
        for (int i = n - 1; i > 0; i--) pr[i - 1] = Math.Max(pr[i - 1], pr[i]);
        var q = new double[RecallPoints];
        int at = 0;
        for (int r = 0; r < RecallPoints; r++)
        {
            double threshold = r * 0.01;                       // numpy's linspace(0, 1, 101): i·0.01
            while (at < n && rc[at] < threshold) at++;        // searchsorted(rc, threshold, side='left')
            q[r] = at < n ? pr[at] : 0;
        }
        return (n == 0 ? 0 : rc[n - 1], q);
    }
}
