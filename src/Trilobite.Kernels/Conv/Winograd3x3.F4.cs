using System.Numerics;
using System.Runtime.CompilerServices;
using static Trilobite.Kernels.PartialVectors;

namespace Trilobite.Kernels;

/// <summary>
/// The transforms of F(4×4, 3×3) (Lavin and Gray's interpolation points 0, ±1, ±2 and ∞): each 4×4 block of outputs
/// from a 6×6 block of inputs through 36 GEMMs, 2.25 multiplications per output against F(2×2)'s 4. With
/// Bᵀ = [4 0 −5 0 1 0; 0 −4 −4 1 1 0; 0 4 −4 −1 1 0; 0 −2 −1 2 1 0; 0 2 −1 −2 1 0; 0 4 0 −5 0 1],
/// G = [¼ 0 0; −⅙ −⅙ −⅙; −⅙ ⅙ −⅙; 1⁄24 1⁄12 ⅙; 1⁄24 −1⁄12 ⅙; 0 0 1] and
/// Aᵀ = [1 1 1 1 1 0; 0 1 −1 2 −2 0; 0 1 1 4 4 0; 0 1 −1 8 −8 1]. The larger coefficients cost accuracy: on the towers'
/// shape (16×16×64, random values in ±1) the largest error against a double-precision convolution is about 50 float ulps
/// of the largest output (1.9·10⁻⁴ at 35), where F(2×2)'s is about 3; training follows the same course (LeNet's five
/// seeds end between 0.9821 and 0.9854).
/// </summary>
public static unsafe partial class Winograd3x3
{
    /// <summary>(G g)[0..6) from one column (g0, g1, g2) of a kernel, written <paramref name="stride"/> apart.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void KernelColumn6(Vector<float> g0, Vector<float> g1, Vector<float> g2, Vector<float>* dst, int stride)
    {
        Vector<float> sum = g0 + g2, corner = g0 * (1f / 24) + g2 * (1f / 6), middle = g1 * (1f / 12);
        dst[0] = g0 * 0.25f;
        dst[stride] = (sum + g1) * (-1f / 6);
        dst[2 * stride] = (sum - g1) * (-1f / 6);
        dst[3 * stride] = corner + middle;
        dst[4 * stride] = corner - middle;
        dst[5 * stride] = g2;
    }

    /// <summary>U[ξν][c][o] = (G g Gᵀ)[ξ][ν] over 36 planes of padded width for rows c in [firstRow, lastRow), as <see cref="TransformWeights2"/> for F(2×2).</summary>
    private static void TransformWeights4(float* w, int channels, int outChannels, float* u, int firstRow, int lastRow)
    {
        int width = Vector<float>.Count, rows = Padded(channels), columns = Padded(outChannels), plane = rows * columns;
        var g = stackalloc Vector<float>[9];
        var t = stackalloc Vector<float>[18];   // G g: 6 rows × 3 columns
        var r = stackalloc Vector<float>[6];
        for (int c = firstRow; c < lastRow; c++)
            for (int o = 0; o < columns; o += width)
            {
                int valid = c < channels ? Math.Min(width, outChannels - o) : 0;
                for (int k = 0; k < 9; k++) g[k] = Load(w + (k * channels + Math.Min(c, channels - 1)) * outChannels + o, valid);
                for (int col = 0; col < 3; col++) KernelColumn6(g[col], g[3 + col], g[6 + col], t + col, 3);
                float* dst = u + c * columns + o;
                for (int row = 0; row < 6; row++)
                {
                    KernelColumn6(t[row * 3], t[row * 3 + 1], t[row * 3 + 2], r, 1);
                    for (int k = 0; k < 6; k++) *(Vector<float>*)(dst + (row * 6 + k) * plane) = r[k];
                }
            }
    }

    /// <summary>(Gᵀ u)[0..3) from six values down one axis of dU.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void KernelGradient3(Vector<float>* u, int stride, out Vector<float> w0, out Vector<float> w1, out Vector<float> w2)
    {
        Vector<float> u0 = u[0], u1 = u[stride], u2 = u[2 * stride], u3 = u[3 * stride], u4 = u[4 * stride], u5 = u[5 * stride];
        w0 = u0 * 0.25f - (u1 + u2) * (1f / 6) + (u3 + u4) * (1f / 24);
        w1 = (u2 - u1) * (1f / 6) + (u3 - u4) * (1f / 12);
        w2 = (u3 + u4 - u1 - u2) * (1f / 6) + u5;
    }

    /// <summary>dw[ky, kx, c, o] += (Gᵀ dU G)[ky][kx] for c in [firstChannel, lastChannel): the adjoint of <see cref="TransformWeights4"/>.</summary>
    private static void TransformWeightGradients4(float* du, int channels, int outChannels, float* dw, int firstChannel, int lastChannel)
    {
        int width = Vector<float>.Count, columns = Padded(outChannels), plane = Padded(channels) * columns;
        var column = stackalloc Vector<float>[36];
        var q = stackalloc Vector<float>[18];   // Gᵀ dU: 3 rows × 6 columns
        for (int c = firstChannel; c < lastChannel; c++)
            for (int o = 0; o < outChannels; o += width)
            {
                int valid = Math.Min(width, outChannels - o);
                float* src = du + c * columns + o;
                for (int i = 0; i < 36; i++) column[i] = *(Vector<float>*)(src + i * plane);
                for (int col = 0; col < 6; col++)
                {
                    KernelGradient3(column + col, 6, out var a, out var b, out var e);
                    (q[col], q[6 + col], q[12 + col]) = (a, b, e);
                }
                for (int ky = 0; ky < 3; ky++)
                {
                    KernelGradient3(q + ky * 6, 1, out var w0, out var w1, out var w2);
                    Store(dw + ((ky * 3) * channels + c) * outChannels + o, w0, valid, accumulate: true);
                    Store(dw + ((ky * 3 + 1) * channels + c) * outChannels + o, w1, valid, accumulate: true);
                    Store(dw + ((ky * 3 + 2) * channels + c) * outChannels + o, w2, valid, accumulate: true);
                }
            }
    }

    /// <summary>(Bᵀ d)[0..6) from six values down one axis of an input block, written <paramref name="stride"/> apart.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void InputColumn6(Vector<float> d0, Vector<float> d1, Vector<float> d2, Vector<float> d3, Vector<float> d4, Vector<float> d5,
        Vector<float>* dst, int stride)
    {
        Vector<float> four = new(4f), five = new(5f);
        Vector<float> a = d3 + d4, b = d1 + d2, e = d4 - d3, f = d1 - d2, h = d4 - d2, k = d3 - d1;
        dst[0] = four * d0 - five * d2 + d4;
        dst[stride] = a - four * b;
        dst[2 * stride] = e + four * f;
        dst[3 * stride] = h + k + k;
        dst[4 * stride] = h - k - k;
        dst[5 * stride] = four * d1 - five * d3 + d5;
    }

    /// <summary>(Aᵀ m)[0..4) from six values down one axis of a product block.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void OutputColumn4(Vector<float>* m, int stride, out Vector<float> o0, out Vector<float> o1, out Vector<float> o2, out Vector<float> o3)
    {
        Vector<float> m0 = m[0], m1 = m[stride], m2 = m[2 * stride], m3 = m[3 * stride], m4 = m[4 * stride], m5 = m[5 * stride];
        Vector<float> sum12 = m1 + m2, diff12 = m1 - m2, sum34 = m3 + m4, diff34 = m3 - m4;
        o0 = m0 + sum12 + sum34;
        o1 = diff12 + diff34 + diff34;
        o2 = sum12 + sum34 * 4f;
        o3 = diff12 + diff34 * 8f + m5;
    }

    /// <summary>(A y)[0..6) from four values down one axis of an output gradient's block, written <paramref name="stride"/> apart.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void GradientColumn6(Vector<float> y0, Vector<float> y1, Vector<float> y2, Vector<float> y3, Vector<float>* dst, int stride)
    {
        Vector<float> even = y0 + y2, odd = y1 + y3, evenWide = y0 + y2 * 4f, oddWide = y1 * 2f + y3 * 8f;
        dst[0] = y0;
        dst[stride] = even + odd;
        dst[2 * stride] = even - odd;
        dst[3 * stride] = evenWide + oddWide;
        dst[4 * stride] = evenWide - oddWide;
        dst[5 * stride] = y3;
    }

    private sealed partial class Job
    {
        /// <summary>V[ξν][t][c] = (Bᵀ d B)[ξ][ν] for each tile's 6×6 input block d.</summary>
        private void TransformInputs4(int firstTile, int count, float* v, int plane, float* zeros)
        {
            int channels = p.Channels, width = Vector<float>.Count;
            var rows = stackalloc float*[36];
            var t = stackalloc Vector<float>[36];   // Bᵀ d: 6 rows × 6 columns
            var r = stackalloc Vector<float>[6];
            for (int tile = 0; tile < count; tile++)
            {
                BlockRows(firstTile + tile, 6, rows, zeros);
                float* dst = v + tile * p.ChannelsPadded;
                for (int c = 0; c < channels; c += width)   // the padding channels' lanes load as 0
                {
                    int valid = Math.Min(width, channels - c);
                    for (int j = 0; j < 6; j++)
                        InputColumn6(Load(rows[j] + c, valid), Load(rows[6 + j] + c, valid), Load(rows[12 + j] + c, valid),
                            Load(rows[18 + j] + c, valid), Load(rows[24 + j] + c, valid), Load(rows[30 + j] + c, valid), t + j, 6);
                    for (int i = 0; i < 6; i++)
                    {
                        Vector<float>* row = t + i * 6;
                        InputColumn6(row[0], row[1], row[2], row[3], row[4], row[5], r, 1);
                        for (int k = 0; k < 6; k++) *(Vector<float>*)(dst + c + (i * 6 + k) * plane) = r[k];
                    }
                }
            }
        }

        /// <summary>Each tile's 4×4 outputs Aᵀ m A, written (or added) where they fall inside the output; a forward pass's bias and ReLU applied on the way.</summary>
        private void TransformOutputs4(int firstTile, int count, float* m, int plane)
        {
            int outChannels = p.OutChannels, width = Vector<float>.Count;
            float* bias = Bias;
            bool relu = Relu;
            var block = stackalloc Vector<float>[36];
            var q = stackalloc Vector<float>[24];   // m A: 6 rows × 4 columns
            for (int tile = 0; tile < count; tile++)
            {
                float* first = OutputBlock(firstTile + tile, out int rowsInside, out int columnsInside);
                float* src = m + tile * p.OutChannelsPadded;
                for (int o = 0; o < outChannels; o += width)
                {
                    int valid = Math.Min(width, outChannels - o);
                    for (int i = 0; i < 36; i++) block[i] = *(Vector<float>*)(src + o + i * plane);
                    for (int i = 0; i < 6; i++)
                    {
                        OutputColumn4(block + i * 6, 1, out var a, out var b, out var e, out var f);
                        (q[i * 4], q[i * 4 + 1], q[i * 4 + 2], q[i * 4 + 3]) = (a, b, e, f);
                    }
                    Vector<float> bv = bias == null ? Vector<float>.Zero : Load(bias + o, valid);
                    for (int j = 0; j < columnsInside; j++)
                    {
                        OutputColumn4(q + j, 4, out var y0, out var y1, out var y2, out var y3);
                        float* at = first + (long)j * outChannels + o;
                        long rowStride = (long)p.OutWidth * outChannels;
                        Store(at, Finish(y0 + bv, relu), valid, accumulate);
                        if (rowsInside > 1) Store(at + rowStride, Finish(y1 + bv, relu), valid, accumulate);
                        if (rowsInside > 2) Store(at + 2 * rowStride, Finish(y2 + bv, relu), valid, accumulate);
                        if (rowsInside > 3) Store(at + 3 * rowStride, Finish(y3 + bv, relu), valid, accumulate);
                    }
                }
            }
        }

        /// <summary>dM = A dy Aᵀ for each tile's 4×4 output gradient (zero outside the output); its values summed into <paramref name="biasSums"/> unless null.</summary>
        private void TransformOutputGradients4(int firstTile, int count, float* m, int plane, float* biasSums)
        {
            int outChannels = p.OutChannels, width = Vector<float>.Count;
            var y = stackalloc Vector<float>[16];
            var t = stackalloc Vector<float>[24];   // A dy: 6 rows × 4 columns
            var r = stackalloc Vector<float>[6];
            for (int tile = 0; tile < count; tile++)
            {
                float* first = OutputBlock(firstTile + tile, out int rowsInside, out int columnsInside);
                float* dst = m + tile * p.OutChannelsPadded;
                long rowStride = (long)p.OutWidth * outChannels;
                for (int o = 0; o < outChannels; o += width)   // the padding channels' lanes load as 0
                {
                    int valid = Math.Min(width, outChannels - o);
                    var sum = Vector<float>.Zero;
                    for (int i = 0; i < 4; i++)
                        for (int j = 0; j < 4; j++)
                        {
                            var value = i < rowsInside && j < columnsInside ? Load(first + i * rowStride + (long)j * outChannels + o, valid) : Vector<float>.Zero;
                            y[i * 4 + j] = value;
                            sum += value;
                        }
                    if (biasSums != null) *(Vector<float>*)(biasSums + o) += sum;
                    for (int j = 0; j < 4; j++) GradientColumn6(y[j], y[4 + j], y[8 + j], y[12 + j], t + j, 4);
                    for (int i = 0; i < 6; i++)
                    {
                        Vector<float>* row = t + i * 4;
                        GradientColumn6(row[0], row[1], row[2], row[3], r, 1);
                        for (int k = 0; k < 6; k++) *(Vector<float>*)(dst + o + (i * 6 + k) * plane) = r[k];
                    }
                }
            }
        }

        /// <summary>Where a tile's outputs start in y, and how many of its rows and columns fall inside the output.</summary>
        private float* OutputBlock(int tile, out int rowsInside, out int columnsInside)
        {
            var (n, iy0, ix0) = Origin(tile);
            int oy = iy0 + p.PadTop, ox = ix0 + p.PadLeft;
            (rowsInside, columnsInside) = (Math.Min(p.Tile, p.OutHeight - oy), Math.Min(p.Tile, p.OutWidth - ox));
            return y + (((long)n * p.OutHeight + oy) * p.OutWidth + ox) * p.OutChannels;
        }
    }
}
