using System.Numerics;
using System.Runtime.CompilerServices;
using static Trilobite.Kernels.PartialVectors;

namespace Trilobite.Kernels;

/// <summary>
/// The transforms of F(2×2, 3×3): each 2×2 block of outputs from a 4×4 block of inputs through 16 GEMMs, with
/// Bᵀ = [1 0 −1 0; 0 1 1 0; 0 −1 1 0; 0 1 0 −1], G = [1 0 0; ½ ½ ½; ½ −½ ½; 0 0 1] and Aᵀ = [1 1 1 0; 0 1 −1 −1]:
/// they only add and halve, so the results stay within a few float ulps of the sums.
/// </summary>
public static unsafe partial class Winograd3x3
{
    /// <summary>
    /// U[ξν][c][o] = (G g Gᵀ)[ξ][ν] for each 3×3 kernel g = w[·, ·, c, o] with c in [firstRow, lastRow), with
    /// G = [1 0 0; ½ ½ ½; ½ −½ ½; 0 0 1], in planes of padded width: the padding channels' rows and columns are zero.
    /// </summary>
    private static void TransformWeights2(float* w, int channels, int outChannels, float* u, int firstRow, int lastRow)
    {
        int width = Vector<float>.Count, rows = Padded(channels), columns = Padded(outChannels), plane = rows * columns;
        var g = stackalloc Vector<float>[9];
        var t = stackalloc Vector<float>[12];   // G g: 4 rows × 3 columns
        for (int c = firstRow; c < lastRow; c++)
            for (int o = 0; o < columns; o += width)
            {
                int valid = c < channels ? Math.Min(width, outChannels - o) : 0;
                for (int k = 0; k < 9; k++) g[k] = Load(w + (k * channels + Math.Min(c, channels - 1)) * outChannels + o, valid);
                for (int col = 0; col < 3; col++)
                {
                    Vector<float> g0 = g[col], g1 = g[3 + col], g2 = g[6 + col];
                    t[col] = g0;
                    t[3 + col] = (g0 + g1 + g2) * 0.5f;
                    t[6 + col] = (g0 - g1 + g2) * 0.5f;
                    t[9 + col] = g2;
                }
                float* dst = u + c * columns + o;
                for (int row = 0; row < 4; row++)
                {
                    Vector<float> t0 = t[row * 3], t1 = t[row * 3 + 1], t2 = t[row * 3 + 2];
                    *(Vector<float>*)(dst + (row * 4) * plane) = t0;
                    *(Vector<float>*)(dst + (row * 4 + 1) * plane) = (t0 + t1 + t2) * 0.5f;
                    *(Vector<float>*)(dst + (row * 4 + 2) * plane) = (t0 - t1 + t2) * 0.5f;
                    *(Vector<float>*)(dst + (row * 4 + 3) * plane) = t2;
                }
            }
    }

    /// <summary>dw[ky, kx, c, o] += (Gᵀ dU G)[ky][kx] for c in [firstChannel, lastChannel): the adjoint of <see cref="TransformWeights2"/> (dU in planes of padded width).</summary>
    private static void TransformWeightGradients2(float* du, int channels, int outChannels, float* dw, int firstChannel, int lastChannel)
    {
        int width = Vector<float>.Count, columns = Padded(outChannels), plane = Padded(channels) * columns;
        var q = stackalloc Vector<float>[12];   // Gᵀ dU: 3 rows × 4 columns
        for (int c = firstChannel; c < lastChannel; c++)
            for (int o = 0; o < outChannels; o += width)
            {
                int valid = Math.Min(width, outChannels - o);
                float* src = du + c * columns + o;
                for (int col = 0; col < 4; col++)
                {
                    Vector<float> u0 = *(Vector<float>*)(src + col * plane), u1 = *(Vector<float>*)(src + (4 + col) * plane);
                    Vector<float> u2 = *(Vector<float>*)(src + (8 + col) * plane), u3 = *(Vector<float>*)(src + (12 + col) * plane);
                    q[col] = u0 + (u1 + u2) * 0.5f;
                    q[4 + col] = (u1 - u2) * 0.5f;
                    q[8 + col] = (u1 + u2) * 0.5f + u3;
                }
                for (int ky = 0; ky < 3; ky++)
                {
                    Vector<float> q0 = q[ky * 4], q1 = q[ky * 4 + 1], q2 = q[ky * 4 + 2], q3 = q[ky * 4 + 3];
                    Store(dw + ((ky * 3) * channels + c) * outChannels + o, q0 + (q1 + q2) * 0.5f, valid, accumulate: true);
                    Store(dw + ((ky * 3 + 1) * channels + c) * outChannels + o, (q1 - q2) * 0.5f, valid, accumulate: true);
                    Store(dw + ((ky * 3 + 2) * channels + c) * outChannels + o, (q1 + q2) * 0.5f + q3, valid, accumulate: true);
                }
            }
    }

    private sealed partial class Job
    {
        /// <summary>
        /// dM = A dy Aᵀ for each tile's 2×2 output gradient (zero where the tile hangs over the output's edge), with
        /// A = [1 0; 1 1; 1 −1; 0 −1]; and the tiles' gradients summed into <paramref name="biasSums"/> unless it is null.
        /// </summary>
        private void TransformOutputGradients2(int firstTile, int count, float* m, int plane, float* biasSums)
        {
            int outChannels = p.OutChannels, width = Vector<float>.Count;
            for (int t = 0; t < count; t++)
            {
                OutputTile(firstTile + t, out float* row0, out float* row1, out bool down, out bool right);
                float* dst = m + t * p.OutChannelsPadded;
                for (int o = 0; o < outChannels; o += width)   // the padding channels' lanes load as 0
                {
                    int valid = Math.Min(width, outChannels - o);
                    Vector<float> g00 = Load(row0 + o, valid);
                    Vector<float> g01 = right ? Load(row0 + outChannels + o, valid) : Vector<float>.Zero;
                    Vector<float> g10 = down ? Load(row1 + o, valid) : Vector<float>.Zero;
                    Vector<float> g11 = down && right ? Load(row1 + outChannels + o, valid) : Vector<float>.Zero;
                    if (biasSums != null) *(Vector<float>*)(biasSums + o) += (g00 + g01) + (g10 + g11);
                    // A dy, row by row (rows of A: dy0, dy0 + dy1, dy0 − dy1, −dy1), then times Aᵀ across each row.
                    GradientRow(dst + o, 0, plane, g00, g01);
                    GradientRow(dst + o, 1, plane, g00 + g10, g01 + g11);
                    GradientRow(dst + o, 2, plane, g00 - g10, g01 - g11);
                    GradientRow(dst + o, 3, plane, -g10, -g11);
                }
            }
        }

        /// <summary>Row <paramref name="r"/> of (A dy) Aᵀ from that row's two values a, b: a, a + b, a − b, −b.</summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        private static void GradientRow(float* dst, int r, int plane, Vector<float> a, Vector<float> b)
        {
            *(Vector<float>*)(dst + (r * 4) * plane) = a;
            *(Vector<float>*)(dst + (r * 4 + 1) * plane) = a + b;
            *(Vector<float>*)(dst + (r * 4 + 2) * plane) = a - b;
            *(Vector<float>*)(dst + (r * 4 + 3) * plane) = -b;
        }

        /// <summary>V[ξν][t][c] = (Bᵀ d B)[ξ][ν] for each tile's 4×4 input block d, with Bᵀ = [1 0 −1 0; 0 1 1 0; 0 −1 1 0; 0 1 0 −1].</summary>
        private void TransformInputs2(int firstTile, int count, float* v, int plane, float* zeros)
        {
            int channels = p.Channels, width = Vector<float>.Count;
            var rows = stackalloc float*[16];
            for (int t = 0; t < count; t++)
            {
                BlockRows(firstTile + t, 4, rows, zeros);
                float* dst = v + t * p.ChannelsPadded;
                for (int c = 0; c < channels; c += width)   // the padding channels' lanes load as 0
                {
                    int valid = Math.Min(width, channels - c);
                    // Bᵀ d, column by column: the four columns of each of the results' rows, kept in registers.
                    Column(rows, 0, c, valid, out var a0, out var a1, out var a2, out var a3);
                    Column(rows, 1, c, valid, out var b0, out var b1, out var b2, out var b3);
                    Column(rows, 2, c, valid, out var e0, out var e1, out var e2, out var e3);
                    Column(rows, 3, c, valid, out var f0, out var f1, out var f2, out var f3);
                    // (Bᵀ d) B, row by row.
                    Row(dst + c, 0, plane, a0, b0, e0, f0);
                    Row(dst + c, 1, plane, a1, b1, e1, f1);
                    Row(dst + c, 2, plane, a2, b2, e2, f2);
                    Row(dst + c, 3, plane, a3, b3, e3, f3);
                }
            }
        }

        /// <summary>Column <paramref name="s"/> of Bᵀ d at channel <paramref name="c"/>: d0 − d2, d1 + d2, d2 − d1, d1 − d3 down the column.</summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        private static void Column(float** rows, int s, int c, int valid, out Vector<float> r0, out Vector<float> r1, out Vector<float> r2, out Vector<float> r3)
        {
            Vector<float> d0 = Load(rows[s] + c, valid), d1 = Load(rows[4 + s] + c, valid);
            Vector<float> d2 = Load(rows[8 + s] + c, valid), d3 = Load(rows[12 + s] + c, valid);
            (r0, r1, r2, r3) = (d0 - d2, d1 + d2, d2 - d1, d1 - d3);
        }

        /// <summary>Row <paramref name="r"/> of (Bᵀ d) B, stored at its four positions' planes.</summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        private static void Row(float* dst, int r, int plane, Vector<float> t0, Vector<float> t1, Vector<float> t2, Vector<float> t3)
        {
            *(Vector<float>*)(dst + (r * 4) * plane) = t0 - t2;
            *(Vector<float>*)(dst + (r * 4 + 1) * plane) = t1 + t2;
            *(Vector<float>*)(dst + (r * 4 + 2) * plane) = t2 - t1;
            *(Vector<float>*)(dst + (r * 4 + 3) * plane) = t1 - t3;
        }

        /// <summary>
        /// Each tile's 2×2 outputs Aᵀ m A, with Aᵀ = [1 1 1 0; 0 1 −1 −1], written (or added) where they fall inside the
        /// output; a forward pass's bias and ReLU applied on the way.
        /// </summary>
        private void TransformOutputs2(int firstTile, int count, float* m, int plane)
        {
            int outChannels = p.OutChannels, width = Vector<float>.Count;
            float* bias = Bias;
            bool relu = Relu;
            for (int t = 0; t < count; t++)
            {
                OutputTile(firstTile + t, out float* row0, out float* row1, out bool down, out bool right);
                float* src = m + t * p.OutChannelsPadded;
                for (int o = 0; o < outChannels; o += width)
                {
                    int valid = Math.Min(width, outChannels - o);
                    // m A, row by row: each row's two columns.
                    var (p0, q0) = OutputRow(src + o, 0, plane);
                    var (p1, q1) = OutputRow(src + o, 1, plane);
                    var (p2, q2) = OutputRow(src + o, 2, plane);
                    var (p3, q3) = OutputRow(src + o, 3, plane);
                    Vector<float> b = bias == null ? Vector<float>.Zero : Load(bias + o, valid);
                    Store(row0 + o, Finish(p0 + p1 + p2 + b, relu), valid, accumulate);
                    if (right) Store(row0 + outChannels + o, Finish(q0 + q1 + q2 + b, relu), valid, accumulate);
                    if (down)
                    {
                        Store(row1 + o, Finish(p1 - p2 - p3 + b, relu), valid, accumulate);
                        if (right) Store(row1 + outChannels + o, Finish(q1 - q2 - q3 + b, relu), valid, accumulate);
                    }
                }
            }
        }

        /// <summary>Row <paramref name="r"/> of m A: m0 + m1 + m2 and m1 − m2 − m3 across the row's four positions.</summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        private static (Vector<float>, Vector<float>) OutputRow(float* src, int r, int plane)
        {
            Vector<float> m0 = *(Vector<float>*)(src + (r * 4) * plane), m1 = *(Vector<float>*)(src + (r * 4 + 1) * plane);
            Vector<float> m2 = *(Vector<float>*)(src + (r * 4 + 2) * plane), m3 = *(Vector<float>*)(src + (r * 4 + 3) * plane);
            return (m0 + m1 + m2, m1 - m2 - m3);
        }

        /// <summary>Where a tile's 2×2 outputs lie in y: its two rows, and whether its second row and column fall inside the output.</summary>
        private void OutputTile(int tile, out float* row0, out float* row1, out bool down, out bool right)
        {
            var (n, iy0, ix0) = Origin(tile);
            int oy = iy0 + p.PadTop, ox = ix0 + p.PadLeft;
            (down, right) = (oy + 1 < p.OutHeight, ox + 1 < p.OutWidth);
            row0 = y + (((long)n * p.OutHeight + oy) * p.OutWidth + ox) * p.OutChannels;
            row1 = row0 + (long)p.OutWidth * p.OutChannels;
        }
    }
}
