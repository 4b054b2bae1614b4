namespace Trilobite.Vision.Detection;

/// <summary>
/// Intersection over Union and Generalized IoU (Rezatofighi et al. 2019), pairwise as torchvision's <c>box_iou</c> and
/// <c>generalized_box_iou</c>, in double. Where two boxes have no area between them at all (the union is 0), torchvision
/// gives NaN; here IoU is 0 (they overlap nothing) and GIoU is −1 (or 0 when the enclosing box is empty too).
/// </summary>
public static class BoxOverlap
{
    /// <summary>|a ∩ b| / |a ∪ b|, 0 when the union is empty.</summary>
    public static double Iou(Box a, Box b)
    {
        double intersection = Intersection(a, b), union = a.Area + b.Area - intersection;
        return union > 0 ? intersection / union : 0;
    }

    /// <summary>IoU − |C \ (a ∪ b)| / |C|, C the smallest box enclosing both: in [−1, 1], and below 0 for disjoint boxes the further apart they are.</summary>
    public static double GeneralizedIou(Box a, Box b)
    {
        double intersection = Intersection(a, b), union = a.Area + b.Area - intersection;
        double enclosing = (Math.Max(a.X2, b.X2) - (double)Math.Min(a.X1, b.X1)) * (Math.Max(a.Y2, b.Y2) - (double)Math.Min(a.Y1, b.Y1));
        if (enclosing <= 0) return 0;
        double iou = union > 0 ? intersection / union : 0;
        return iou - (enclosing - union) / enclosing;
    }

    /// <summary>The M × N matrix of IoU between every box of <paramref name="a"/> and every box of <paramref name="b"/>.</summary>
    public static double[,] IouMatrix(IReadOnlyList<Box> a, IReadOnlyList<Box> b) => Pairwise(a, b, Iou);

    /// <summary>The M × N matrix of GIoU.</summary>
    public static double[,] GeneralizedIouMatrix(IReadOnlyList<Box> a, IReadOnlyList<Box> b) => Pairwise(a, b, GeneralizedIou);

    private static double Intersection(Box a, Box b)
    {
        double w = Math.Min(a.X2, b.X2) - (double)Math.Max(a.X1, b.X1), h = Math.Min(a.Y2, b.Y2) - (double)Math.Max(a.Y1, b.Y1);
        return w > 0 && h > 0 ? w * h : 0;
    }

    private static double[,] Pairwise(IReadOnlyList<Box> a, IReadOnlyList<Box> b, Func<Box, Box, double> measure)
    {
        ArgumentNullException.ThrowIfNull(a);
        ArgumentNullException.ThrowIfNull(b);
        var m = new double[a.Count, b.Count];
        for (int i = 0; i < a.Count; i++)
            for (int j = 0; j < b.Count; j++) m[i, j] = measure(a[i], b[j]);
        return m;
    }
}
