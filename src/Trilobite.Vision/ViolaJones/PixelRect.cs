namespace Trilobite.Vision.ViolaJones;

/// <summary>An axis-aligned box in pixels: top-left corner (X, Y), size Width × Height.</summary>
public readonly record struct PixelRect(int X, int Y, int Width, int Height)
{
    /// <summary>X + Width: the first column past the box.</summary>
    public int Right => X + Width;
    /// <summary>Y + Height: the first row past the box.</summary>
    public int Bottom => Y + Height;
    /// <summary>Width × Height, in pixels.</summary>
    public long Area => (long)Width * Height;

    /// <summary>Intersection over union, 0 when the boxes do not overlap.</summary>
    public double IoU(PixelRect other)
    {
        int ix = Math.Max(0, Math.Min(Right, other.Right) - Math.Max(X, other.X));
        int iy = Math.Max(0, Math.Min(Bottom, other.Bottom) - Math.Max(Y, other.Y));
        double inter = (double)ix * iy;
        double union = Area + other.Area - inter;
        return union <= 0 ? 0 : inter / union;
    }

    /// <summary>"x y w h", as the CLI prints it.</summary>
    public override string ToString() => $"{X} {Y} {Width} {Height}";
}
