namespace Trilobite.Playground.Sessions;

/// <summary>Heat maps on the wire: values in [−scale, scale] → bytes 0…255, base64.</summary>
public static class HeatMap
{
    /// <summary>
    /// Base64 bytes of <paramref name="values"/>/<paramref name="scale"/> clamped to [−1, 1] and mapped to 0…255;
    /// non-finite values become the middle byte, and a <paramref name="scale"/> ≤ 0 counts as 1.
    /// </summary>
    public static string Encode(ReadOnlySpan<float> values, float scale)
    {
        var bytes = new byte[values.Length];
        float s = scale > 0 ? scale : 1f;
        for (int i = 0; i < values.Length; i++)
        {
            float v = float.IsFinite(values[i]) ? Math.Clamp(values[i] / s, -1f, 1f) : 0f;
            bytes[i] = (byte)MathF.Round((v + 1f) * 127.5f);
        }
        return Convert.ToBase64String(bytes);
    }

    /// <summary>The largest |v| over the finite values (0 when there are none): the scale that fills the colour range.</summary>
    public static float MaxAbs(ReadOnlySpan<float> values)
    {
        float m = 0;
        foreach (float v in values) if (float.IsFinite(v)) m = Math.Max(m, Math.Abs(v));
        return m;
    }
}
