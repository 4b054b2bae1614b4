namespace Trilobite.Vision.Detection;

/// <summary>
/// RetinaNet's targets and inference. Targets: <see cref="AnchorTargets"/> rows (matcher 0.5 / 0.4 with low-quality
/// matches, RetinaNet's box coder). Inference, as torchvision's <c>postprocess_detections</c>: per level, class
/// probabilities σ(logit) above the score threshold, the best <see cref="TopPerLevel"/> of them, their boxes decoded from
/// the anchors and clipped to the image; then NMS per class at <see cref="IouThreshold"/>, keeping the best <see cref="MaxDetections"/>.
/// </summary>
public sealed class RetinaNetHead(DetectorSpec spec) : IDetectionHead
{
    private readonly Box[] _anchors = spec.AllAnchors();
    private readonly int[] _perLevel = spec.AnchorsPerLevel();
    private readonly Matcher _matcher = new(0.5, 0.4, allowLowQualityMatches: true);

    /// <summary>(anchors, classes + 5): one <see cref="AnchorTargets"/> row per anchor.</summary>
    public int[] TargetShape => [_anchors.Length, spec.Classes + 5];

    /// <summary>One image's anchor rows.</summary>
    public void EncodeTargets(IReadOnlyList<GroundTruth> truth, Span<float> target) =>
        AnchorTargets.Encode(truth, _anchors, spec.Classes, _matcher, BoxCoder.RetinaNet, target);

    /// <summary>Probabilities at or below this are dropped (torchvision: 0.05).</summary>
    public float ScoreThreshold { get; init; } = 0.05f;

    /// <summary>Candidates kept per level before NMS (1,000).</summary>
    public int TopPerLevel { get; init; } = 1000;

    /// <summary>NMS IoU threshold (0.5).</summary>
    public double IouThreshold { get; init; } = 0.5;

    /// <summary>Detections kept per image (300).</summary>
    public int MaxDetections { get; init; } = 300;

    /// <summary>One image's detections from its output rows (anchors × (K + 4)), best first.</summary>
    public List<DetectedObject> Decode(ReadOnlySpan<float> output)
    {
        int classes = spec.Classes, width = classes + 4;
        if (output.Length != _anchors.Length * width) throw new ArgumentException($"The detector's output has {output.Length} values; {_anchors.Length} anchors × {width} expected.");
        var candidates = new List<DetectedObject>();
        int start = 0;
        foreach (int count in _perLevel)
        {
            var level = new List<(float Score, int Anchor, int Label)>();
            for (int a = start; a < start + count; a++)
                for (int k = 0; k < classes; k++)
                {
                    float score = 1f / (1f + MathF.Exp(-output[a * width + k]));
                    if (score > ScoreThreshold) level.Add((score, a, k));
                }
            foreach (var (score, a, k) in level.OrderByDescending(c => c.Score).ThenBy(c => c.Anchor).Take(TopPerLevel))
            {
                var box = BoxCoder.RetinaNet.Decode(output.Slice(a * width + classes, 4), _anchors[a]).Clip(spec.Input[1], spec.Input[0]);
                candidates.Add(new DetectedObject(box, k, score));
            }
            start += count;
        }
        return NonMaxSuppression.Select(candidates, IouThreshold, maxDetections: MaxDetections);
    }
}
