using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace Trilobite.Kernels;

/// <summary>
/// The sigmoid focal loss (Lin et al., torchvision's <c>sigmoid_focal_loss</c>) per element, fused: one pass writes each
/// element's loss and its derivative by the logit, where the composed form took a dozen passes forward and as many back.
/// With p = σ(z), CE = softplus(z) − t·z, m = 1 − pₜ = p + t − 2pt and w = α·t + (1 − α)(1 − t) (1 when α &lt; 0):
/// loss = w·m^γ·CE and d loss/dz = w·[(p − t)·m^γ + CE·γ·m^(γ−1)·(1 − 2t)·p(1 − p)].
/// Whole γ up to 8 are powers by multiplication (γ = 2 costs two products); other γ go through exp(γ·log m) with m^γ = 0
/// (and its derivative 0) at m = 0, as the composed form's clip at 1e-30 had it.
/// Eight lanes at a time; the tail goes through the same vector code in a padded buffer, so no element's value depends
/// on where it fell or on how the pass was split over threads.
/// </summary>
public static unsafe class FocalLossKernel
{
    /// <summary>Elements per thread at least (each costs about 20 vector operations, so less than the plain elementwise split).</summary>
    private const int MinChunk = 1 << 14;

    /// <summary>loss[i] and, unless <paramref name="gradient"/> is empty, d loss[i]/d logits[i].</summary>
    public static void Run(ReadOnlySpan<float> logits, ReadOnlySpan<float> targets, float alpha, float gamma, Span<float> loss, Span<float> gradient)
    {
        if (targets.Length != logits.Length || loss.Length != logits.Length || (!gradient.IsEmpty && gradient.Length != logits.Length))
            throw new ArgumentException($"Focal loss: {logits.Length} logits need as many targets, losses and gradients, got {targets.Length}, {loss.Length} and {gradient.Length}.");
        if (!(gamma >= 0) || !float.IsFinite(gamma)) throw new ArgumentOutOfRangeException(nameof(gamma), $"The focal loss's gamma must be 0 or more, got {gamma}.");
        if (logits.IsEmpty) return;
        var focal = new Focal(alpha, gamma);
        bool withGradient = !gradient.IsEmpty;
        fixed (float* pz = logits, pt = targets, pl = loss, pg = gradient)
        {
            nint z = (nint)pz, t = (nint)pt, l = (nint)pl, g = (nint)pg;   // fixed locals cannot be captured
            if (logits.Length < 2 * MinChunk || KernelThreads.Count == 1 || KernelThreads.InParallelRegion)
                focal.Range((float*)z, (float*)t, (float*)l, withGradient ? (float*)g : null, 0, logits.Length);
            else
                KernelThreads.ForRange(logits.Length, MinChunk, (start, end) =>
                    focal.Range((float*)z, (float*)t, (float*)l, withGradient ? (float*)g : null, start, end));
        }
    }

    private readonly struct Focal(float alpha, float gamma)
    {
        private readonly int _wholeGamma = gamma == MathF.Floor(gamma) && gamma <= 8 ? (int)gamma : -1;

        public void Range(float* z, float* t, float* loss, float* gradient, int start, int end)
        {
            int i = start;
            for (; i <= end - 8; i += 8)
            {
                var (l, g) = Values(Vector256.Load(z + i), Vector256.Load(t + i));
                l.Store(loss + i);
                if (gradient != null) g.Store(gradient + i);
            }
            if (i == end) return;
            float* zs = stackalloc float[8], ts = stackalloc float[8], ls = stackalloc float[8], gs = stackalloc float[8];
            int tail = end - i;
            for (int k = 0; k < 8; k++) (zs[k], ts[k]) = k < tail ? (z[i + k], t[i + k]) : (0, 0);
            var (lv, gv) = Values(Vector256.Load(zs), Vector256.Load(ts));
            lv.Store(ls);
            gv.Store(gs);
            for (int k = 0; k < tail; k++)
            {
                loss[i + k] = ls[k];
                if (gradient != null) gradient[i + k] = gs[k];
            }
        }

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        private (Vector256<float> Loss, Vector256<float> Gradient) Values(Vector256<float> z, Vector256<float> t)
        {
            var one = Vector256<float>.One;
            var e = Vector256.Exp(-Vector256.Abs(z));                                        // e^(−|z|), never overflows
            var positive = Vector256.GreaterThanOrEqual(z, Vector256<float>.Zero);
            var p = Vector256.ConditionalSelect(positive, one, e) / (one + e);              // σ(z) on both sides of 0
            var crossEntropy = Vector256.Max(z, Vector256<float>.Zero) + VectorMath.Log1p(e) - t * z;
            var pt = p * t;
            var m = p + t - (pt + pt);                                                       // 1 − pₜ
            var (power, slope) = Power(m);                                                   // m^γ, γ·m^(γ−1)
            var w = alpha >= 0 ? Vector256.Create(alpha) * t + Vector256.Create(1 - alpha) * (one - t) : one;
            var dm = (one - (t + t)) * p * (one - p);                                        // dm/dz
            return (w * power * crossEntropy, w * ((p - t) * power + crossEntropy * slope * dm));
        }

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        private (Vector256<float> Power, Vector256<float> Slope) Power(Vector256<float> m)
        {
            if (_wholeGamma == 0) return (Vector256<float>.One, Vector256<float>.Zero);
            if (_wholeGamma > 0)
            {
                var below = Vector256<float>.One;                                            // m^(γ−1)
                for (int k = 1; k < _wholeGamma; k++) below *= m;
                return (below * m, Vector256.Create(gamma) * below);
            }
            var positive = Vector256.GreaterThan(m, Vector256<float>.Zero);
            var log = Vector256.Log(Vector256.Max(m, Vector256.Create(float.Epsilon)));
            var power = Vector256.ConditionalSelect(positive, Vector256.Exp(Vector256.Create(gamma) * log), Vector256<float>.Zero);
            var slope = Vector256.ConditionalSelect(positive, Vector256.Create(gamma) * Vector256.Exp(Vector256.Create(gamma - 1) * log), Vector256<float>.Zero);
            return (power, slope);
        }
    }
}
