namespace Trilobite.Vision.Detection;

/// <summary>An annotated object: its box, its class (0-based) and whether it is "difficult" (VOC: neither found nor missed counts).</summary>
public sealed record GroundTruth(Box Box, int Label, bool Difficult = false);

/// <summary>One image's annotations and a detector's detections on it: the unit mAP is computed over.</summary>
public sealed record ImageResult(IReadOnlyList<GroundTruth> Truth, IReadOnlyList<DetectedObject> Detections);
