namespace Trilobite.Onnx.Export;

/// <summary>Moves weights between Keras's channels-last layouts and ONNX's channels-first ones (both directions, so import shares them).</summary>
internal static class WeightLayout
{
    /// <summary>A Keras convolution kernel (KH, KW, C, OC) as ONNX's (OC, C, KH, KW).</summary>
    public static float[] HwioToOihw(float[] k, int kh, int kw, int c, int oc)
    {
        var o = new float[k.Length];
        for (int y = 0; y < kh; y++)
            for (int x = 0; x < kw; x++)
                for (int i = 0; i < c; i++)
                    for (int j = 0; j < oc; j++)
                        o[((j * c + i) * kh + y) * kw + x] = k[((y * kw + x) * c + i) * oc + j];
        return o;
    }

    /// <summary>ONNX's (OC, C, KH, KW) as a Keras kernel (KH, KW, C, OC): the inverse of <see cref="HwioToOihw"/>.</summary>
    public static float[] OihwToHwio(float[] o, int oc, int c, int kh, int kw)
    {
        var k = new float[o.Length];
        for (int j = 0; j < oc; j++)
            for (int i = 0; i < c; i++)
                for (int y = 0; y < kh; y++)
                    for (int x = 0; x < kw; x++)
                        k[((y * kw + x) * c + i) * oc + j] = o[((j * c + i) * kh + y) * kw + x];
        return k;
    }

    /// <summary>A Keras transposed-convolution kernel (KH, KW, filters, C) as ONNX ConvTranspose's (C, filters, KH, KW).</summary>
    public static float[] TransposedHwoiToIohw(float[] k, int kh, int kw, int filters, int c)
    {
        var o = new float[k.Length];
        for (int y = 0; y < kh; y++)
            for (int x = 0; x < kw; x++)
                for (int f = 0; f < filters; f++)
                    for (int i = 0; i < c; i++)
                        o[((i * filters + f) * kh + y) * kw + x] = k[((y * kw + x) * filters + f) * c + i];
        return o;
    }

    /// <summary>ONNX ConvTranspose's (C, filters, KH, KW) as a Keras kernel (KH, KW, filters, C).</summary>
    public static float[] TransposedIohwToHwoi(float[] o, int c, int filters, int kh, int kw)
    {
        var k = new float[o.Length];
        for (int i = 0; i < c; i++)
            for (int f = 0; f < filters; f++)
                for (int y = 0; y < kh; y++)
                    for (int x = 0; x < kw; x++)
                        k[((y * kw + x) * filters + f) * c + i] = o[((i * filters + f) * kh + y) * kw + x];
        return k;
    }
}
