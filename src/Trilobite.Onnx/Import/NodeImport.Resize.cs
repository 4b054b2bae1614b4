using Trilobite.Layers;

namespace Trilobite.Onnx.Import;

internal static partial class NodeImport
{
    /// <summary>
    /// Resize/Upsample of a map → UpSampling2D. Nearest with whole factors: every coordinate rule that reads input ⌊i / s⌋
    /// (asymmetric + floor; half-pixel rules with rounding). Nearest to another size: asymmetric + floor (UpSampling2D.ToSize).
    /// Linear with whole factors and half-pixel centres: bilinear. Other combinations would differ and are refused.
    /// </summary>
    private static ImportedValue ResizeNode(NodeContext c)
    {
        var x = c.Map(0);
        int h = x.Tensor.Shape[0], w = x.Tensor.Shape[1];
        var a = c.Attributes;
        string mode = a.String("mode", "nearest");
        bool resize11 = c.Node.OpType == "Resize" && c.Opset >= 11;
        string coordinates = resize11 ? a.String("coordinate_transformation_mode", "half_pixel") : "asymmetric";
        string rounding = resize11 ? a.String("nearest_mode", "round_prefer_floor") : "floor";
        a.Ignore("cubic_coeff_a", "extrapolation_value");
        if (a.Int("exclude_outside", 0) != 0 || a.Int("antialias", 0) != 0) throw c.Error("'exclude_outside' and 'antialias' are not supported.");

        float[]? scales = c.Node.OpType == "Upsample" && c.Opset < 9 ? a.Floats("scales") : c.OptionalConstant(resize11 ? 2 : 1)?.AsFloats();
        long[]? sizes = resize11 ? c.OptionalConstant(3)?.AsLongs($"{c.Where}: sizes") : null;
        if (scales is { Length: 0 }) scales = null;
        int oh, ow;
        if (sizes != null)
        {
            if (sizes.Length != 4 || sizes[1] is not (-1) && sizes[1] != x.Tensor.Shape[2]) throw c.Error($"sizes {OnnxConstant.ShapeText(sizes)} must keep the batch and channels.");
            (oh, ow) = ((int)sizes[2], (int)sizes[3]);
        }
        else if (scales is [1f, 1f, var sh, var sw] && sh >= 1 && sw >= 1 && (long)(h * sh) <= 1 << 20 && (long)(w * sw) <= 1 << 20)
            (oh, ow) = ((int)MathF.Floor(h * sh), (int)MathF.Floor(w * sw));
        else
            throw c.Error($"scales {(scales == null ? "(none)" : "[" + string.Join(", ", scales) + "]")} must be [1, 1, s_h, s_w] with s ≥ 1 (or give sizes).");
        if (oh < 1 || ow < 1) throw c.Error($"the output size {oh}×{ow} is empty.");
        bool whole = oh % h == 0 && ow % w == 0;
        var factors = (oh / h, ow / w);
        Layer layer;
        if (mode == "nearest")
        {
            bool floorOfRatio = whole
                ? coordinates == "asymmetric" ? rounding == "floor" || factors == (1, 1) || (factors.Item1 <= 2 && factors.Item2 <= 2 && rounding == "round_prefer_floor")
                  : coordinates is "half_pixel" or "pytorch_half_pixel" or "tf_half_pixel_for_nn" && rounding is "round_prefer_floor" or "round_prefer_ceil"
                : coordinates == "asymmetric" && rounding == "floor";
            if (!floorOfRatio) throw c.Error($"nearest resize with coordinate_transformation_mode '{coordinates}' and nearest_mode '{rounding}' to {oh}×{ow} is not what UpSampling2D computes.");
            layer = whole ? new UpSampling2D(factors, name: c.LayerName()) : UpSampling2D.ToSize(oh, ow, name: c.LayerName());
        }
        else if (mode is "linear" or "bilinear" && whole && coordinates is "half_pixel" or "pytorch_half_pixel")
            layer = new UpSampling2D(factors, "bilinear", name: c.LayerName());
        else
            throw c.Error($"mode '{GraphImport.Clip(mode)}' with coordinate_transformation_mode '{coordinates}' to {oh}×{ow} is not supported (nearest, or bilinear with half-pixel centres by whole factors, are).");
        return new RuntimeValue(c.Apply(layer, x.Tensor), ValueLayout.Nchw);
    }
}
