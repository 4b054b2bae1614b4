using System.Text.Json;
using System.Text.Json.Serialization;

namespace Trilobite.Vision.Detection;

/// <summary>
/// What a saved detector needs besides its layers, kept in the model's metadata ("detector"): its kind, input size and
/// classes, and for "retinanet" the pyramid strides and the anchors — output (N, anchors, classes + 4), class logits then
/// box deltas — or for "yolo" the grid and the boxes per cell — output (N, S, S, B·5 + classes).
/// </summary>
public sealed record DetectorSpec(
    [property: JsonPropertyName("kind")] string Kind,
    [property: JsonPropertyName("input")] int[] Input,
    [property: JsonPropertyName("class_names")] string[] ClassNames,
    [property: JsonPropertyName("strides")] int[] Strides,
    [property: JsonPropertyName("anchor_sizes")] double[][] AnchorSizes,
    [property: JsonPropertyName("aspect_ratios")] double[] AspectRatios)
{
    /// <summary>The metadata key.</summary>
    public const string MetadataKey = "detector";

    /// <summary>YOLO: cells along each side of the grid (S).</summary>
    [JsonPropertyName("grid")] public int Grid { get; init; }

    /// <summary>YOLO: boxes predicted per cell (B).</summary>
    [JsonPropertyName("boxes_per_cell")] public int BoxesPerCell { get; init; }

    /// <summary>Object classes (without a background class).</summary>
    [JsonIgnore] public int Classes => ClassNames.Length;

    /// <summary>The anchor generator of these sizes and ratios.</summary>
    public AnchorGenerator Anchors() => new([.. AnchorSizes.Select(s => (IReadOnlyList<double>)s)], AspectRatios);

    /// <summary>Every anchor of the input, level by level, in the head's output order.</summary>
    public Box[] AllAnchors() => Anchors().Generate(Input[0], Input[1], [.. Strides.Select(s => (Input[0] / s, Input[1] / s))]);

    /// <summary>Anchors on each level, in order.</summary>
    public int[] AnchorsPerLevel() => [.. Strides.Select(s => Input[0] / s * (Input[1] / s) * AnchorSizes[0].Length * AspectRatios.Length)];

    /// <summary>Stores the spec in <paramref name="model"/>'s metadata.</summary>
    public void WriteTo(Model model) => model.Metadata[MetadataKey] = JsonSerializer.Serialize(this);

    /// <summary>The spec of a detector; throws <see cref="InvalidDataException"/> naming the model when it is not one or its spec does not fit its output.</summary>
    public static DetectorSpec Of(Model model)
    {
        ArgumentNullException.ThrowIfNull(model);
        if (!model.Metadata.TryGetValue(MetadataKey, out string? json))
            throw new InvalidDataException($"Model '{model.Name}' is not a detector (it has no '{MetadataKey}' metadata); train one with 'trilobite train retinanet' or 'trilobite train yolo'.");
        DetectorSpec? spec;
        try { spec = JsonSerializer.Deserialize<DetectorSpec>(json); }
        catch (JsonException e) { throw new InvalidDataException($"Model '{model.Name}': its detector metadata is not valid ({Excerpt.Of(e.Message)})."); }
        if (spec is null || spec.Input is not [> 0, > 0, 1 or 3] || spec.ClassNames is not { Length: > 0 })
            throw new InvalidDataException($"Model '{model.Name}': its detector metadata is incomplete or inconsistent.");
        if (spec.Kind == "yolo")
        {
            if (spec.Grid < 1 || spec.BoxesPerCell < 1 || model.OutputShape is not [int s1, int s2, int depth] || s1 != spec.Grid || s2 != spec.Grid || depth != spec.BoxesPerCell * 5 + spec.Classes)
                throw new InvalidDataException($"Model '{model.Name}': its output {ShapeText.WithBatch(model.OutputShape)} does not fit its YOLO metadata (grid {spec.Grid}, {spec.BoxesPerCell} boxes per cell, {spec.Classes} classes).");
            return spec;
        }
        if (spec.Kind != "retinanet" || spec.Strides is not { Length: > 0 } || spec.AnchorSizes?.Length != spec.Strides.Length || spec.AspectRatios is not { Length: > 0 }
            || spec.Strides.Any(s => s < 1 || spec.Input[0] % s != 0 || spec.Input[1] % s != 0))
            throw new InvalidDataException($"Model '{model.Name}': its detector metadata is incomplete or inconsistent.");
        int anchors = spec.AnchorsPerLevel().Sum();
        if (model.OutputShape is not [int n, int k] || n != anchors || k != spec.Classes + 4)
            throw new InvalidDataException($"Model '{model.Name}': its output {ShapeText.WithBatch(model.OutputShape)} does not fit its detector metadata ({anchors} anchors × {spec.Classes} classes + 4).");
        return spec;
    }
}
