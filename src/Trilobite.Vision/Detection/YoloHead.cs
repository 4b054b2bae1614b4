namespace Trilobite.Vision.Detection;

/// <summary>
/// YOLO v1's targets and inference. Target per cell (S, S, 5 + C): whether an object's centre falls in it, that object's
/// centre within the cell (x, y in [0, 1)), √w and √h as fractions of the image, and its one-hot class; a cell holds one
/// object (where two centres share a cell, the larger object). Inference: each of the B boxes of a cell scores class
/// probability × confidence for the cell's most likely class; above <see cref="ScoreThreshold"/>, decoded and clipped,
/// then NMS per class at <see cref="IouThreshold"/>, the best <see cref="MaxDetections"/> kept.
/// </summary>
public sealed class YoloHead(DetectorSpec spec) : IDetectionHead
{
    private readonly int _s = spec.Grid, _b = spec.BoxesPerCell, _c = spec.Classes;
    private readonly float _height = spec.Input[0], _width = spec.Input[1];

    /// <summary>Scores at or below this are dropped (0.05).</summary>
    public float ScoreThreshold { get; init; } = 0.05f;

    /// <summary>NMS IoU threshold (0.5).</summary>
    public double IouThreshold { get; init; } = 0.5;

    /// <summary>Detections kept per image (100).</summary>
    public int MaxDetections { get; init; } = 100;

    /// <summary>(S, S, 5 + C).</summary>
    public int[] TargetShape => [_s, _s, 5 + _c];

    /// <summary>One image's grid of targets.</summary>
    public void EncodeTargets(IReadOnlyList<GroundTruth> truth, Span<float> target)
    {
        int depth = 5 + _c;
        if (target.Length != _s * _s * depth) throw new ArgumentException($"A {_s}×{_s} grid needs {_s * _s * depth} target values, got {target.Length}.");
        target.Clear();
        var area = new double[_s * _s];
        foreach (var g in truth)
        {
            if (g.Difficult || g.Box.Width <= 0 || g.Box.Height <= 0) continue;
            if (g.Label < 0 || g.Label >= _c) throw new ArgumentException($"Ground truth class {g.Label} is outside 0 to {_c - 1}.");
            float cx = g.Box.CentreX / _width * _s, cy = g.Box.CentreY / _height * _s;
            int j = Math.Clamp((int)cx, 0, _s - 1), i = Math.Clamp((int)cy, 0, _s - 1), cell = i * _s + j;
            if (g.Box.Area <= area[cell]) continue;
            area[cell] = g.Box.Area;
            var row = target.Slice(cell * depth, depth);
            row.Clear();
            row[0] = 1;
            row[1] = cx - j;
            row[2] = cy - i;
            row[3] = MathF.Sqrt(g.Box.Width / _width);
            row[4] = MathF.Sqrt(g.Box.Height / _height);
            row[5 + g.Label] = 1;
        }
    }

    /// <summary>The box a predictor of cell (i, j) describes, from its (x, y, √w, √h) values.</summary>
    public Box BoxOf(ReadOnlySpan<float> values, int i, int j)
    {
        float cx = (j + values[0]) / _s * _width, cy = (i + values[1]) / _s * _height;
        float w = values[2] * values[2] * _width, h = values[3] * values[3] * _height;
        return Box.FromCentre(cx, cy, w, h);
    }

    /// <summary>One image's detections from its (S, S, B·5 + C) output, best first.</summary>
    public List<DetectedObject> Decode(ReadOnlySpan<float> output)
    {
        int depth = _b * 5 + _c;
        if (output.Length != _s * _s * depth) throw new ArgumentException($"The detector's output has {output.Length} values; {_s}×{_s}×{depth} expected.");
        var candidates = new List<DetectedObject>();
        for (int i = 0; i < _s; i++)
            for (int j = 0; j < _s; j++)
            {
                var cell = output.Slice((i * _s + j) * depth, depth);
                var classes = cell.Slice(_b * 5, _c);
                int label = 0;
                for (int k = 1; k < _c; k++) if (classes[k] > classes[label]) label = k;
                for (int b = 0; b < _b; b++)
                {
                    var box = cell.Slice(b * 5, 5);
                    float score = Math.Clamp(classes[label], 0, 1) * Math.Clamp(box[4], 0, 1);
                    if (score > ScoreThreshold) candidates.Add(new DetectedObject(BoxOf(box, i, j).Clip(_width, _height), label, score));
                }
            }
        return NonMaxSuppression.Select(candidates, IouThreshold, maxDetections: MaxDetections);
    }
}
