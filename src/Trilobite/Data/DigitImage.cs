namespace Trilobite.Data;

/// <summary>
/// Turns an arbitrary picture of one digit into an MNIST-like 28×28 input, the way the MNIST
/// digits were made: ink made bright on black, cropped to its bounding box, scaled (area-averaged,
/// aspect ratio kept) so the longer side is 20 pixels, and placed in a 28×28 frame with its centre
/// of mass at the centre.
/// </summary>
public static class DigitImage
{
    /// <summary>
    /// <paramref name="gray"/> holds width×height grey levels in [0, 1], row-major. A light background
    /// (judged from the border) is inverted first. Returns 784 values in [0, 1]; all zeros when there is no ink.
    /// </summary>
    public static float[] ToMnist(ReadOnlySpan<float> gray, int width, int height)
    {
        if (width < 1 || height < 1 || gray.Length != width * height)
            throw new ArgumentException($"A {width}×{height} image needs {width * height} grey values, got {gray.Length}.");
        float[] ink = gray.ToArray();
        if (BorderMean(ink, width, height) > 0.5f) for (int i = 0; i < ink.Length; i++) ink[i] = 1 - ink[i];
        var result = new float[28 * 28];
        if (!InkBounds(ink, width, height, out int x0, out int y0, out int x1, out int y1)) return result;
        int bw = x1 - x0 + 1, bh = y1 - y0 + 1;
        double scale = 20.0 / Math.Max(bw, bh);
        int tw = Math.Max(1, (int)Math.Round(bw * scale)), th = Math.Max(1, (int)Math.Round(bh * scale));
        float[] small = AreaResize(ink, width, x0, y0, bw, bh, tw, th);
        // Centre of mass of the scaled digit → shift so it lands on (14, 14).
        double mass = 0, cx = 0, cy = 0;
        for (int y = 0; y < th; y++)
            for (int x = 0; x < tw; x++) { float v = small[y * tw + x]; mass += v; cx += v * (x + 0.5); cy += v * (y + 0.5); }
        int left = (int)Math.Round(14 - cx / mass), top = (int)Math.Round(14 - cy / mass);
        left = Math.Clamp(left, 0, 28 - tw);
        top = Math.Clamp(top, 0, 28 - th);
        for (int y = 0; y < th; y++)
            for (int x = 0; x < tw; x++) result[(top + y) * 28 + left + x] = Math.Clamp(small[y * tw + x], 0f, 1f);
        return result;
    }

    private static float BorderMean(float[] p, int w, int h)
    {
        double sum = 0;
        int n = 0;
        for (int x = 0; x < w; x++) { sum += p[x] + p[(h - 1) * w + x]; n += 2; }
        for (int y = 0; y < h; y++) { sum += p[y * w] + p[y * w + w - 1]; n += 2; }
        return (float)(sum / n);
    }

    private static bool InkBounds(float[] p, int w, int h, out int x0, out int y0, out int x1, out int y1)
    {
        (x0, y0, x1, y1) = (w, h, -1, -1);
        for (int y = 0; y < h; y++)
            for (int x = 0; x < w; x++)
                if (p[y * w + x] > 0.1f) { x0 = Math.Min(x0, x); x1 = Math.Max(x1, x); y0 = Math.Min(y0, y); y1 = Math.Max(y1, y); }
        return x1 >= 0;
    }

    /// <summary>Each target pixel is the mean of the source area it covers (fractional edges weighted).</summary>
    private static float[] AreaResize(float[] src, int stride, int x0, int y0, int bw, int bh, int tw, int th)
    {
        var dst = new float[tw * th];
        double sx = (double)bw / tw, sy = (double)bh / th;
        for (int ty = 0; ty < th; ty++)
            for (int tx = 0; tx < tw; tx++)
            {
                double ya = ty * sy, yb = ya + sy, xa = tx * sx, xb = xa + sx, sum = 0, area = 0;
                for (int y = (int)ya; y < Math.Min(bh, (int)Math.Ceiling(yb)); y++)
                {
                    double wy = Math.Min(yb, y + 1) - Math.Max(ya, y);
                    for (int x = (int)xa; x < Math.Min(bw, (int)Math.Ceiling(xb)); x++)
                    {
                        double wgt = wy * (Math.Min(xb, x + 1) - Math.Max(xa, x));
                        sum += wgt * src[(y0 + y) * stride + x0 + x];
                        area += wgt;
                    }
                }
                dst[ty * tw + tx] = area > 0 ? (float)(sum / area) : 0;
            }
        return dst;
    }
}
