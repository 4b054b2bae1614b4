namespace Trilobite.Vision.Detection;

/// <summary>What the mAP computations share: label checks and the cumulative precision–recall curve.</summary>
internal static class DetectionChecks
{
    /// <summary>Throws <see cref="ArgumentException"/> naming the image and entry when a label is outside 0 … classes − 1 or a box is malformed.</summary>
    public static void Labels(IReadOnlyList<ImageResult> images, int classes)
    {
        for (int i = 0; i < images.Count; i++)
        {
            var im = images[i] ?? throw new ArgumentException($"Image {i} has no result.");
            for (int g = 0; g < im.Truth.Count; g++)
            {
                if (im.Truth[g].Label < 0 || im.Truth[g].Label >= classes)
                    throw new ArgumentException($"Image {i}, ground truth {g}: class {im.Truth[g].Label} is outside 0 to {classes - 1}.");
                if (!im.Truth[g].Box.IsWellFormed) throw new ArgumentException($"Image {i}, ground truth {g}: box {im.Truth[g].Box} needs finite x1 ≤ x2 and y1 ≤ y2.");
            }
            for (int d = 0; d < im.Detections.Count; d++)
            {
                if (im.Detections[d].Label < 0 || im.Detections[d].Label >= classes)
                    throw new ArgumentException($"Image {i}, detection {d}: class {im.Detections[d].Label} is outside 0 to {classes - 1}.");
                if (!float.IsFinite(im.Detections[d].Score)) throw new ArgumentException($"Image {i}, detection {d}: the score is {im.Detections[d].Score}.");
            }
        }
    }

    /// <summary>Recall and precision after each detection (in score order): cumulative true positives over the positives, and over the detections so far.</summary>
    public static (double[] Recall, double[] Precision) Curve(IReadOnlyList<bool> truePositive, int positives)
    {
        var recall = new double[truePositive.Count];
        var precision = new double[truePositive.Count];
        int tp = 0;
        for (int i = 0; i < truePositive.Count; i++)
        {
            if (truePositive[i]) tp++;
            recall[i] = (double)tp / positives;
            precision[i] = (double)tp / (i + 1);
        }
        return (recall, precision);
    }
}
