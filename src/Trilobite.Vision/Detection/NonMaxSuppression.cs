namespace Trilobite.Vision.Detection;

/// <summary>
/// Greedy non-maximum suppression, as torchvision's <c>nms</c> and <c>batched_nms</c>: boxes are taken by decreasing
/// score (the lower index first on a tie), and each kept box removes every later one whose IoU with it is greater than
/// the threshold — equal IoU is kept. Batched NMS suppresses only within a class.
/// </summary>
public static class NonMaxSuppression
{
    /// <summary>The indices kept, by decreasing score; throws <see cref="ArgumentException"/> when the lists differ in length or the threshold is NaN.</summary>
    public static int[] Apply(IReadOnlyList<Box> boxes, IReadOnlyList<float> scores, double iouThreshold)
    {
        Check(boxes, scores, iouThreshold);
        return Greedy(boxes, Order(scores, Enumerable.Range(0, boxes.Count)), iouThreshold);
    }

    /// <summary>NMS within each class of <paramref name="classes"/>; the indices kept, by decreasing score over all classes.</summary>
    public static int[] Batched(IReadOnlyList<Box> boxes, IReadOnlyList<float> scores, IReadOnlyList<int> classes, double iouThreshold)
    {
        Check(boxes, scores, iouThreshold);
        ArgumentNullException.ThrowIfNull(classes);
        if (classes.Count != boxes.Count) throw new ArgumentException($"{boxes.Count} boxes but {classes.Count} class labels.");
        var kept = new List<int>();
        foreach (var group in Enumerable.Range(0, boxes.Count).GroupBy(i => classes[i]))
            kept.AddRange(Greedy(boxes, Order(scores, group), iouThreshold));
        return Order(scores, kept);
    }

    /// <summary>
    /// The detector's last step: detections scoring above <paramref name="scoreThreshold"/> (strictly, as torchvision's
    /// detectors), NMS per class, the <paramref name="maxDetections"/> best kept, best first.
    /// </summary>
    public static List<DetectedObject> Select(IReadOnlyList<DetectedObject> candidates, double iouThreshold, float scoreThreshold = float.NegativeInfinity, int maxDetections = int.MaxValue)
    {
        ArgumentNullException.ThrowIfNull(candidates);
        ArgumentOutOfRangeException.ThrowIfNegative(maxDetections);
        var passing = candidates.Where(d => d.Score > scoreThreshold).ToList();
        var keep = Batched([.. passing.Select(d => d.Box)], [.. passing.Select(d => d.Score)], [.. passing.Select(d => d.Label)], iouThreshold);
        return [.. keep.Take(maxDetections).Select(i => passing[i])];
    }

    private static int[] Order(IReadOnlyList<float> scores, IEnumerable<int> indices) =>
        [.. indices.OrderByDescending(i => scores[i]).ThenBy(i => i)];

    private static int[] Greedy(IReadOnlyList<Box> boxes, int[] order, double iouThreshold)
    {
        var suppressed = new bool[order.Length];
        var kept = new List<int>();
        for (int a = 0; a < order.Length; a++)
        {
            if (suppressed[a]) continue;
            var box = boxes[order[a]];
            kept.Add(order[a]);
            for (int b = a + 1; b < order.Length; b++)
                if (!suppressed[b] && BoxOverlap.Iou(box, boxes[order[b]]) > iouThreshold) suppressed[b] = true;
        }
        return [.. kept];
    }

    private static void Check(IReadOnlyList<Box> boxes, IReadOnlyList<float> scores, double iouThreshold)
    {
        ArgumentNullException.ThrowIfNull(boxes);
        ArgumentNullException.ThrowIfNull(scores);
        if (boxes.Count != scores.Count) throw new ArgumentException($"{boxes.Count} boxes but {scores.Count} scores.");
        if (double.IsNaN(iouThreshold)) throw new ArgumentException("The NMS IoU threshold is NaN.");
    }
}
