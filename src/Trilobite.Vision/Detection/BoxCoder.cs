namespace Trilobite.Vision.Detection;

/// <summary>
/// The R-CNN box parametrisation (Girshick et al. 2014), as torchvision's <c>BoxCoder</c>: a box relative to an anchor is
/// (wx·(x − xa)/wa, wy·(y − ya)/ha, ww·log(w/wa), wh·log(h/ha)) on centres and sizes. Decoding clamps the size deltas at
/// log(1000/16) so that a wild prediction cannot overflow exp. RetinaNet uses weights (1, 1, 1, 1), Faster R-CNN (10, 10, 5, 5).
/// </summary>
public sealed class BoxCoder
{
    /// <summary>torchvision's clamp on decoded size deltas, log(1000 / 16).</summary>
    public static readonly double DefaultClip = Math.Log(1000.0 / 16);

    private readonly double _wx, _wy, _ww, _wh, _clip;

    /// <summary>Throws <see cref="ArgumentException"/> for a weight that is not positive and finite.</summary>
    public BoxCoder((double X, double Y, double W, double H) weights, double? sizeClip = null)
    {
        if (new[] { weights.X, weights.Y, weights.W, weights.H }.Any(w => !(w > 0) || !double.IsFinite(w)))
            throw new ArgumentException($"Box coder weights must be positive and finite, got {weights}.");
        (_wx, _wy, _ww, _wh) = weights;
        _clip = sizeClip ?? DefaultClip;
    }

    /// <summary>RetinaNet's coder: weights (1, 1, 1, 1).</summary>
    public static BoxCoder RetinaNet { get; } = new((1, 1, 1, 1));

    /// <summary>The deltas that take <paramref name="anchor"/> to <paramref name="box"/> (both with positive width and height).</summary>
    public (float Dx, float Dy, float Dw, float Dh) Encode(Box box, Box anchor)
    {
        double aw = anchor.Width, ah = anchor.Height, ax = anchor.X1 + 0.5 * aw, ay = anchor.Y1 + 0.5 * ah;
        double w = box.Width, h = box.Height, x = box.X1 + 0.5 * w, y = box.Y1 + 0.5 * h;
        return ((float)(_wx * (x - ax) / aw), (float)(_wy * (y - ay) / ah), (float)(_ww * Math.Log(w / aw)), (float)(_wh * Math.Log(h / ah)));
    }

    /// <summary>The box that <paramref name="deltas"/> (dx, dy, dw, dh) make of <paramref name="anchor"/>.</summary>
    public Box Decode(ReadOnlySpan<float> deltas, Box anchor)
    {
        if (deltas.Length != 4) throw new ArgumentException($"A box has 4 deltas, got {deltas.Length}.", nameof(deltas));
        double aw = anchor.Width, ah = anchor.Height, ax = anchor.X1 + 0.5 * aw, ay = anchor.Y1 + 0.5 * ah;
        double dx = deltas[0] / _wx, dy = deltas[1] / _wy, dw = Math.Min(deltas[2] / _ww, _clip), dh = Math.Min(deltas[3] / _wh, _clip);
        double x = dx * aw + ax, y = dy * ah + ay, w = Math.Exp(dw) * aw, h = Math.Exp(dh) * ah;
        return new Box((float)(x - 0.5 * w), (float)(y - 0.5 * h), (float)(x + 0.5 * w), (float)(y + 0.5 * h));
    }
}
