namespace Trilobite.Vision.Detection;

/// <summary>
/// A trained detector: the model (a plain <see cref="Model"/>, saved and loaded like any other), its
/// <see cref="DetectorSpec"/> from the model's metadata, and the decoding from raw outputs to boxes.
/// </summary>
public sealed class ObjectDetector
{
    private readonly IDetectionHead _head;

    /// <summary>Wraps a detector model; throws <see cref="InvalidDataException"/> when the model is not one.</summary>
    public ObjectDetector(Model model)
    {
        Model = model ?? throw new ArgumentNullException(nameof(model));
        Spec = DetectorSpec.Of(model);
        _head = IDetectionHead.For(Spec);
    }

    /// <summary>The network.</summary>
    public Model Model { get; }

    /// <summary>Scores at or below this are never reported (the decoder's threshold).</summary>
    public float ScoreThreshold => _head.ScoreThreshold;

    /// <summary>Input size, classes and anchors.</summary>
    public DetectorSpec Spec { get; }

    /// <summary>Loads a detector saved by <c>trilobite train retinanet|yolo</c> (or <see cref="Model.Save"/>).</summary>
    public static ObjectDetector Load(string path, Device? device = null) => new(Model.Load(path, device));

    /// <summary>The detections of each image of <paramref name="images"/> (N, H, W, C), best first.</summary>
    public List<List<DetectedObject>> Detect(Tensor images, int batchSize = 16)
    {
        ArgumentNullException.ThrowIfNull(images);
        var output = Model.Predict(images, batchSize).ToArray();
        int per = output.Length / Math.Max(1, images.Dim(0));
        return [.. Enumerable.Range(0, images.Dim(0)).Select(i => _head.Decode(output.AsSpan(i * per, per)))];
    }

    /// <summary>VOC mAP@0.5 (all-point) and the COCO numbers over every image of <paramref name="data"/>.</summary>
    public (double VocMap, CocoScores Coco) Evaluate(CocoDetectionData data, int batchSize = 16)
    {
        ArgumentNullException.ThrowIfNull(data);
        if (data.ClassNames.Count != Spec.Classes)
            throw new ArgumentException($"The detector knows {Spec.Classes} classes, the data has {data.ClassNames.Count}.");
        var results = new List<ImageResult>();
        for (int start = 0; start < data.Count; start += 256)
        {
            int n = Math.Min(256, data.Count - start);
            var found = Detect(data.Images(start, n), batchSize);
            for (int i = 0; i < n; i++) results.Add(new ImageResult(data.Truth[start + i], found[i]));
        }
        return (VocMeanAveragePrecision.Evaluate(results, Spec.Classes).MeanAP, CocoMeanAveragePrecision.Evaluate(results, Spec.Classes));
    }
}
