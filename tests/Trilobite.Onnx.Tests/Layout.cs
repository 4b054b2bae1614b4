namespace Trilobite.Onnx.Tests;

/// <summary>NHWC ↔ NCHW for test data.</summary>
public static class Layout
{
    public static float[] ToNchw(float[] nhwc, int n, int h, int w, int c)
    {
        var r = new float[nhwc.Length];
        for (int b = 0; b < n; b++)
            for (int y = 0; y < h; y++)
                for (int x = 0; x < w; x++)
                    for (int k = 0; k < c; k++) r[((b * c + k) * h + y) * w + x] = nhwc[((b * h + y) * w + x) * c + k];
        return r;
    }

    public static float[] ToNhwc(float[] nchw, int n, int c, int h, int w)
    {
        var r = new float[nchw.Length];
        for (int b = 0; b < n; b++)
            for (int k = 0; k < c; k++)
                for (int y = 0; y < h; y++)
                    for (int x = 0; x < w; x++) r[((b * h + y) * w + x) * c + k] = nchw[((b * c + k) * h + y) * w + x];
        return r;
    }
}
