namespace Trilobite.Vision.Detection;

/// <summary>
/// PASCAL VOC's detection mAP (the devkit's VOCevaldet): per class, detections over all images by decreasing score; each
/// takes the ground truth of its image and class it overlaps most (difficult ones included); at IoU ≥ the threshold it is
/// a true positive if that ground truth is still free, a false positive if already taken (even when another ground truth
/// would have done: the devkit's "argmax" rule), and neither if it is difficult. Below the threshold: a false positive.
/// AP is the area under the precision envelope at every recall step (VOC 2010 onwards), or the 11-point average (VOC
/// 2007). Classes without (non-difficult) ground truth are left out of the mean. Boxes are continuous (no "+1").
/// </summary>
public static class VocMeanAveragePrecision
{
    /// <summary>mAP and the AP of each of <paramref name="classes"/> classes (NaN for a class without ground truth).</summary>
    public static (double MeanAP, double[] PerClass) Evaluate(IReadOnlyList<ImageResult> images, int classes, double iouThreshold = 0.5, bool elevenPoint = false)
    {
        ArgumentNullException.ThrowIfNull(images);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(classes);
        DetectionChecks.Labels(images, classes);
        var perClass = new double[classes];
        for (int c = 0; c < classes; c++) perClass[c] = ClassAP(images, c, iouThreshold, elevenPoint);
        var present = perClass.Where(v => !double.IsNaN(v)).ToArray();
        return (present.Length == 0 ? double.NaN : present.Average(), perClass);
    }

    private static double ClassAP(IReadOnlyList<ImageResult> images, int label, double iouThreshold, bool elevenPoint)
    {
        int positives = images.Sum(im => im.Truth.Count(g => g.Label == label && !g.Difficult));
        if (positives == 0) return double.NaN;
        var detections = new List<(int Image, DetectedObject D)>();
        for (int i = 0; i < images.Count; i++)
            detections.AddRange(images[i].Detections.Where(d => d.Label == label).Select(d => (i, d)));
        var ordered = detections.Select((d, order) => (d.Image, d.D, order)).OrderByDescending(d => d.D.Score).ThenBy(d => d.order).ToList();
        var truths = images.Select(im => im.Truth.Where(g => g.Label == label).ToArray()).ToArray();
        var taken = truths.Select(t => new bool[t.Length]).ToArray();
        var truePositive = new List<bool>();
        foreach (var (image, detection, _) in ordered)
        {
            var candidates = truths[image];
            int best = -1;
            double bestIou = double.NegativeInfinity;
            for (int g = 0; g < candidates.Length; g++)
            {
                double iou = BoxOverlap.Iou(detection.Box, candidates[g].Box);
                if (iou > bestIou) (bestIou, best) = (iou, g);
            }
            if (best >= 0 && bestIou >= iouThreshold)
            {
                if (candidates[best].Difficult) continue;
                truePositive.Add(!taken[image][best]);
                taken[image][best] = true;
            }
            else truePositive.Add(false);
        }
        var (recall, precision) = DetectionChecks.Curve(truePositive, positives);
        return elevenPoint ? ElevenPoint(recall, precision) : AllPoint(recall, precision);
    }

    /// <summary>VOC 2010+: Σ (r_{i+1} − r_i)·p̂_{i+1}, p̂ the precision envelope (the best precision at any higher recall).</summary>
    private static double AllPoint(double[] recall, double[] precision)
    {
        var r = new double[recall.Length + 2];
        var p = new double[precision.Length + 2];
        recall.CopyTo(r, 1);
        precision.CopyTo(p, 1);
        r[^1] = 1;
        for (int i = p.Length - 2; i >= 0; i--) p[i] = Math.Max(p[i], p[i + 1]);
        double ap = 0;
        for (int i = 0; i + 1 < r.Length; i++) ap += (r[i + 1] - r[i]) * p[i + 1];
        return ap;
    }

    /// <summary>VOC 2007: the mean over recall 0, 0.1, …, 1 of the best precision at that recall or above (0 if none).</summary>
    private static double ElevenPoint(double[] recall, double[] precision)
    {
        double ap = 0;
        for (int t = 0; t <= 10; t++)
        {
            double best = 0;
            for (int i = 0; i < recall.Length; i++) if (recall[i] >= t / 10.0) best = Math.Max(best, precision[i]);
            ap += best / 11;
        }
        return ap;
    }
}
