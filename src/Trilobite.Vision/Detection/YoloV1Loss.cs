namespace Trilobite.Vision.Detection;

/// <summary>
/// YOLO v1's sum-squared loss, one value per image: λcoord·Σ over responsible predictors of (x − x̂)² + (y − ŷ)² +
/// (√w − √ŵ)² + (√h − √ĥ)²; Σ over responsible predictors of (C − IoU)², the confidence target being the IoU of the
/// predicted box with its object; λnoobj·Σ over the other predictors of C²; and Σ over cells with an object of
/// Σ_c (p(c) − p̂(c))². A cell's responsible predictor is the one of its B boxes that overlaps its object most now (read
/// from the predictions, which pass no gradient into that choice or into the IoU target). λcoord = 5, λnoobj = 0.5.
/// </summary>
public sealed class YoloV1Loss : Loss
{
    /// <summary>The name a saved model records.</summary>
    public const string LossName = "yolo_v1_loss";

    private const float LambdaCoord = 5f, LambdaNoObject = 0.5f;

    /// <inheritdoc/>
    public override string Name => LossName;

    /// <summary>
    /// The box (coordinates), confidence and class parts per image. The responsible predictors and IoU targets are chosen
    /// from <paramref name="assignedBy"/> (values shaped like the predictions; default: the predictions themselves), so
    /// that a finite-difference check can hold them fixed, as the gradient does.
    /// </summary>
    public static (Tensor Box, Tensor Confidence, Tensor Class) Parts(Tensor prediction, Tensor target, float[]? assignedBy = null)
    {
        if (prediction.Rank != 4 || target.Rank != 4 || prediction.Dim(0) != target.Dim(0) || prediction.Dim(1) != target.Dim(1) || prediction.Dim(2) != target.Dim(2))
            throw new ArgumentException($"{LossName}: predictions (N, S, S, B·5 + C) need targets (N, S, S, 5 + C), got {ShapeText.Of(prediction.Shape)} and {ShapeText.Of(target.Shape)}.");
        int n = prediction.Dim(0), s = prediction.Dim(1), classes = target.Dim(3) - 5, depth = prediction.Dim(3);
        int b = (depth - classes) / 5;
        if (classes < 1 || b < 1 || b * 5 + classes != depth)
            throw new ArgumentException($"{LossName}: a target of {target.Dim(3)} values per cell ({classes} classes) does not fit predictions of {depth}.");
        float[] assignment = assignedBy ?? prediction.Detach().ToArray();
        if (assignment.Length != prediction.Length) throw new ArgumentException($"{LossName}: {assignment.Length} values to assign predictors by, for {prediction.Length} predictions.");
        var (responsible, iou, coordinates) = Responsibility(assignment, target.ToArray(), n, s, b, classes);
        var device = prediction.Device;
        var boxes = prediction.Columns(0, b * 5).Reshape(n, s, s, b, 5);
        var mask = Tensor.FromArray(responsible, [n, s, s, b, 1], device);
        var d = boxes.Columns(0, 4) - Tensor.FromArray(coordinates, [n, s, s, b, 4], device);
        var box = (d * d * mask).Reshape(n, -1).Sum(1) * LambdaCoord;
        var c = boxes.Columns(4, 1);
        var miss = c - Tensor.FromArray(iou, [n, s, s, b, 1], device);
        var confidence = (miss * miss * mask).Reshape(n, -1).Sum(1) + (c * c * (1f - mask)).Reshape(n, -1).Sum(1) * LambdaNoObject;
        var objects = target.Columns(0, 1);
        var p = prediction.Columns(b * 5, classes) - target.Columns(5, classes);
        var classPart = (p * p * objects).Reshape(n, -1).Sum(1);
        return (box, confidence, classPart);
    }

    /// <summary>Box + confidence + class loss, one value per image.</summary>
    public override Tensor PerSample(Tensor prediction, Tensor target)
    {
        var (box, confidence, classes) = Parts(prediction, target);
        return box + confidence + classes;
    }

    /// <summary>Per predictor: 1 where it is responsible for its cell's object, the IoU target, and the object's (x, y, √w, √h) to regress to.</summary>
    private static (float[] Responsible, float[] Iou, float[] Coordinates) Responsibility(float[] prediction, float[] target, int n, int s, int b, int classes)
    {
        int depth = b * 5 + classes, targetDepth = 5 + classes;
        var responsible = new float[n * s * s * b];
        var iou = new float[n * s * s * b];
        var coordinates = new float[n * s * s * b * 4];
        for (int cell = 0; cell < n * s * s; cell++)
        {
            var t = target.AsSpan(cell * targetDepth, targetDepth);
            if (t[0] != 1) continue;
            int i = cell / s % s, j = cell % s;
            var truth = Box.FromCentre((j + t[1]) / s, (i + t[2]) / s, t[3] * t[3], t[4] * t[4]);   // in fractions of the image
            int best = 0;
            double bestIou = -1;
            for (int k = 0; k < b; k++)
            {
                var v = prediction.AsSpan(cell * depth + k * 5, 4);
                double overlap = BoxOverlap.Iou(Box.FromCentre((j + v[0]) / s, (i + v[1]) / s, v[2] * v[2], v[3] * v[3]), truth);
                if (overlap > bestIou) (bestIou, best) = (overlap, k);
            }
            int at = cell * b + best;
            responsible[at] = 1;
            iou[at] = (float)bestIou;
            t.Slice(1, 4).CopyTo(coordinates.AsSpan(at * 4, 4));
        }
        return (responsible, iou, coordinates);
    }
}

/// <summary>One part of <see cref="YoloV1Loss"/> as a metric: "box_loss", "confidence_loss" or "class_loss".</summary>
public sealed class YoloLossPart(string part) : MeanMetric
{
    /// <summary>The parts, by their metric names.</summary>
    public static readonly string[] Names = ["box_loss", "confidence_loss", "class_loss"];

    /// <inheritdoc/>
    public override string Name { get; } = Array.IndexOf(Names, part) >= 0 ? "yolo_" + part : throw new ArgumentException($"No YOLO loss part '{part}'; known: {string.Join(", ", Names)}.");

    /// <summary>The batch's mean part.</summary>
    protected override Tensor BatchMean(Tensor prediction, Tensor target)
    {
        var (box, confidence, classes) = YoloV1Loss.Parts(prediction, target);
        return (Array.IndexOf(Names, part) switch { 0 => box, 1 => confidence, _ => classes }).Mean();
    }
}
