namespace Trilobite.Vision.Detection;

/// <summary>What one kind of detector trains towards and how its raw output becomes boxes: the part that differs between RetinaNet and YOLO.</summary>
public interface IDetectionHead
{
    /// <summary>One image's training target, without the batch axis.</summary>
    int[] TargetShape { get; }

    /// <summary>Writes one image's target for its <paramref name="truth"/> into <paramref name="target"/> (TargetShape values).</summary>
    void EncodeTargets(IReadOnlyList<GroundTruth> truth, Span<float> target);

    /// <summary>One image's detections from its raw output, best first.</summary>
    List<DetectedObject> Decode(ReadOnlySpan<float> output);

    /// <summary>Scores at or below this are never reported.</summary>
    float ScoreThreshold { get; }

    /// <summary>The head for a detector's spec ("retinanet" or "yolo").</summary>
    static IDetectionHead For(DetectorSpec spec) => spec.Kind == "yolo" ? new YoloHead(spec) : new RetinaNetHead(spec);
}
