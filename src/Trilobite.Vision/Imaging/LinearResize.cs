using System.Diagnostics;

namespace Trilobite.Vision.Imaging;

/// <summary>
/// Bilinear resize of 8-bit grey images, bit-exact with OpenCV's <c>INTER_LINEAR_EXACT</c> (the mode its
/// CascadeClassifier uses for each pyramid level). Coefficients are 8-bit fixed point:
/// src coordinate f = (dst + 0.5) · (srcSize / dstSize) − 0.5, c1 = round_half_even((f − ⌊f⌋) · 256), c0 = 256 − c1;
/// out = (Σ_rows cy · Σ_cols cx · p + 2^15) >> 16. Outside the source the edge pixel is repeated.
/// </summary>
public static class LinearResize
{
    /// <summary>Resizes <paramref name="src"/> (sw × sh) into <paramref name="dst"/> (dw × dh). Destination last.</summary>
    public static void Resize(ReadOnlySpan<byte> src, int sw, int sh, Span<byte> dst, int dw, int dh)
    {
        if (sw <= 0 || sh <= 0 || dw <= 0 || dh <= 0)
            throw new ArgumentOutOfRangeException(nameof(sw), $"Resize: sizes must be positive, got {sw}x{sh} -> {dw}x{dh}.");
        if (src.Length < sw * sh || dst.Length < dw * dh)
            throw new ArgumentException($"Resize: buffers too small for {sw}x{sh} -> {dw}x{dh}.");
        if (sw == dw && sh == dh)
        {
            src[..(sw * sh)].CopyTo(dst);
            return;
        }

        var xo = new int[dw];
        var xc = new int[dw];   // c1 of each destination column; c0 = 256 - c1
        Coefficients(sw, dw, xo, xc);
        var yo = new int[dh];
        var yc = new int[dh];
        Coefficients(sh, dh, yo, yc);

        // Horizontal pass of two source rows at a time, cached: rows are visited in increasing order.
        var h0 = new int[dw];
        var h1 = new int[dw];
        int r0 = -1, r1 = -1;
        for (int y = 0; y < dh; y++)
        {
            int oy = yo[y], cy1 = yc[y], cy0 = 256 - cy1;
            int oy1 = Math.Min(oy + 1, sh - 1);
            if (r0 != oy)
            {
                if (r1 == oy) { (h0, h1) = (h1, h0); r0 = oy; r1 = -1; }
                else { HLine(src.Slice(oy * sw, sw), xo, xc, h0); r0 = oy; }
            }
            if (r1 != oy1)
            {
                HLine(src.Slice(oy1 * sw, sw), xo, xc, h1);
                r1 = oy1;
            }
            var row = dst.Slice(y * dw, dw);
            for (int x = 0; x < dw; x++)
                row[x] = (byte)((cy0 * h0[x] + cy1 * h1[x] + (1 << 15)) >> 16);
        }
    }

    // Horizontal interpolation of one source row, 8 fractional bits (exact, no rounding yet).
    private static void HLine(ReadOnlySpan<byte> srow, int[] xo, int[] xc, int[] h)
    {
        int last = srow.Length - 1;
        for (int x = 0; x < h.Length; x++)
        {
            int o = xo[x], c1 = xc[x];
            h[x] = c1 == 0 ? srow[o] * 256 : srow[o] * (256 - c1) + srow[Math.Min(o + 1, last)] * c1;
        }
    }

    // As OpenCV's interpolationLinear::getCoeffs: the scale is 1 / (dn / sn) in double, as cv::resize computes it.
    private static void Coefficients(int sn, int dn, int[] offsets, int[] c1)
    {
        double inv = (double)dn / sn;
        double scale = 1.0 / inv;
        for (int v = 0; v < dn; v++)
        {
            double f = scale * (v + 0.5) - 0.5;
            double fl = Math.Floor(f);
            if (fl < 0 || sn == 1) { offsets[v] = 0; c1[v] = 0; }
            else if (fl >= sn - 1) { offsets[v] = sn - 1; c1[v] = 0; }
            else
            {
                offsets[v] = (int)fl;
                c1[v] = (int)Math.Round((f - fl) * 256, MidpointRounding.ToEven);
                Debug.Assert(c1[v] is >= 0 and <= 256);
            }
        }
    }
}
