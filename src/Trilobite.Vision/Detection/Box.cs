namespace Trilobite.Vision.Detection;

/// <summary>
/// An axis-aligned box [x1, y1, x2, y2] in continuous pixel coordinates, as torchvision: the image spans [0, width] ×
/// [0, height], a box's width is x2 − x1 (no VOC "+1"). A zero-area box is legal: it overlaps nothing.
/// </summary>
public readonly record struct Box(float X1, float Y1, float X2, float Y2)
{
    /// <summary>x2 − x1.</summary>
    public float Width => X2 - X1;

    /// <summary>y2 − y1.</summary>
    public float Height => Y2 - Y1;

    /// <summary>Width × height, 0 for a degenerate (or inverted) box.</summary>
    public double Area => Math.Max(0.0, (double)X2 - X1) * Math.Max(0.0, (double)Y2 - Y1);

    /// <summary>The centre's x, (x1 + x2) / 2.</summary>
    public float CentreX => X1 + 0.5f * Width;

    /// <summary>The centre's y, (y1 + y2) / 2.</summary>
    public float CentreY => Y1 + 0.5f * Height;

    /// <summary>Finite coordinates with x1 ≤ x2 and y1 ≤ y2.</summary>
    public bool IsWellFormed => float.IsFinite(X1) && float.IsFinite(Y1) && float.IsFinite(X2) && float.IsFinite(Y2) && X1 <= X2 && Y1 <= Y2;

    /// <summary>The box of centre (cx, cy) and size w × h.</summary>
    public static Box FromCentre(float cx, float cy, float w, float h) => new(cx - 0.5f * w, cy - 0.5f * h, cx + 0.5f * w, cy + 0.5f * h);

    /// <summary>The box clamped into an image of <paramref name="width"/> × <paramref name="height"/> (it may become zero-area).</summary>
    public Box Clip(float width, float height) =>
        new(Math.Clamp(X1, 0, width), Math.Clamp(Y1, 0, height), Math.Clamp(X2, 0, width), Math.Clamp(Y2, 0, height));

    /// <summary>"x1 y1 x2 y2" with one decimal, as the CLI prints boxes.</summary>
    public override string ToString() => string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{X1:F1} {Y1:F1} {X2:F1} {Y2:F1}");
}
