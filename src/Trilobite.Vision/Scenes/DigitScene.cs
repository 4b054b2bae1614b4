namespace Trilobite.Vision.Scenes;

/// <summary>
/// One object of a scene: its class (the digit, 0–9) and its tight box [x1, y1, x2, y2] in continuous pixel coordinates
/// (width = x2 − x1, no VOC "+1": a box around pixel columns 3..7 is x1 = 3, x2 = 8).
/// </summary>
public sealed record SceneObject(int Label, float X1, float Y1, float X2, float Y2)
{
    /// <summary>x2 − x1.</summary>
    public float Width => X2 - X1;

    /// <summary>y2 − y1.</summary>
    public float Height => Y2 - Y1;
}

/// <summary>
/// A synthetic scene of real handwritten digits: a grey image (0 = background, 255 = ink), the digits' boxes, and a
/// per-pixel class mask (0 = background, 1 + digit where the digit's ink is at least half).
/// </summary>
public sealed record DigitScene(int Width, int Height, byte[] Pixels, IReadOnlyList<SceneObject> Objects, byte[] Mask)
{
    /// <summary>The number of mask classes: background and the ten digits.</summary>
    public const int MaskClasses = 11;
}
