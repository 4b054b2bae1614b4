using System.Runtime.Intrinsics;

namespace Trilobite.Kernels;

/// <summary>SGD's hyper-parameters for one step. <see cref="DecayFactor"/> = 1 − lr·λ (decoupled weight decay), 1 for none.</summary>
public readonly record struct SgdParameters(float LearningRate, float Momentum, bool Nesterov, float DecayFactor);

/// <summary>Adam's step: <see cref="Alpha"/> = lr·√(1 − β₂ᵗ)/(1 − β₁ᵗ), the bias-corrected rate of step t.</summary>
public readonly record struct AdamParameters(float Alpha, float Beta1, float Beta2, float Epsilon, float DecayFactor);

/// <summary>RMSprop's step.</summary>
public readonly record struct RmsPropParameters(float LearningRate, float Rho, float Momentum, float Epsilon, float DecayFactor);

/// <summary>
/// Fused optimizer updates: one pass over a weight, its gradient and its slots, eight lanes at a time and split over
/// the pool for large weights. The arithmetic is Keras's, in the order Keras writes it (no fused multiply-adds), and
/// the decay w ← w·(1 − lr·λ) comes first, as in Keras 3's decoupled weight decay.
/// </summary>
public static unsafe class OptimizerKernels
{
    /// <summary>Without momentum w ← w − lr·g; with momentum μ, v ← μ·v − lr·g and w ← w + v (Nesterov: w ← w + μ·v − lr·g).</summary>
    public static void Sgd(Span<float> w, ReadOnlySpan<float> g, Span<float> velocity, in SgdParameters p)
    {
        Check(w, g, "gradient");
        if (p.Momentum != 0) Check(w, velocity, "velocity");
        fixed (float* pw = w, pg = g, pv = velocity)
            Run(w.Length, new SgdStep(pw, pg, pv, p));
    }

    /// <summary>m ← β₁m + (1 − β₁)g, v ← β₂v + (1 − β₂)g², w ← w − α·m/(√v + ε).</summary>
    public static void Adam(Span<float> w, ReadOnlySpan<float> g, Span<float> m, Span<float> v, in AdamParameters p)
    {
        Check(w, g, "gradient");
        Check(w, m, "first moment");
        Check(w, v, "second moment");
        fixed (float* pw = w, pg = g, pm = m, pv = v)
            Run(w.Length, new AdamStep(pw, pg, pm, pv, p));
    }

    /// <summary>s ← ρs + (1 − ρ)g², step = lr·g/√(s + ε); with momentum μ, u ← μu + step and w ← w − u, else w ← w − step.</summary>
    public static void RmsProp(Span<float> w, ReadOnlySpan<float> g, Span<float> s, Span<float> u, in RmsPropParameters p)
    {
        Check(w, g, "gradient");
        Check(w, s, "mean square");
        if (p.Momentum != 0) Check(w, u, "momentum");
        fixed (float* pw = w, pg = g, ps = s, pu = u)
            Run(w.Length, new RmsPropStep(pw, pg, ps, pu, p));
    }

    private static void Check(Span<float> w, ReadOnlySpan<float> other, string what)
    {
        if (other.Length != w.Length)
            throw new ArgumentException($"Optimizer update: the weight has {w.Length} values but its {what} has {other.Length}.");
    }

    private interface IStep
    {
        void Range(int start, int end);
    }

    private static void Run<TStep>(int length, TStep step) where TStep : struct, IStep
    {
        if (length < 2 * ElementwiseSplit.MinChunk || KernelThreads.Count == 1 || KernelThreads.InParallelRegion) { step.Range(0, length); return; }
        KernelThreads.ForRange(length, ElementwiseSplit.MinChunk, step.Range);
    }

    private readonly struct SgdStep(float* w, float* g, float* v, SgdParameters p) : IStep
    {
        public void Range(int start, int end)
        {
            float lr = p.LearningRate, mu = p.Momentum, decay = p.DecayFactor;
            int i = start;
            if (Vector256.IsHardwareAccelerated)
            {
                Vector256<float> vlr = Vector256.Create(lr), vmu = Vector256.Create(mu), vdecay = Vector256.Create(decay), vneg = Vector256.Create(-lr);
                for (; i <= end - 8; i += 8)
                {
                    var wi = Vector256.Load(w + i);
                    if (decay != 1) wi *= vdecay;
                    var gi = Vector256.Load(g + i);
                    if (mu == 0) wi += gi * vneg;
                    else
                    {
                        var vi = vmu * Vector256.Load(v + i) - vlr * gi;
                        vi.Store(v + i);
                        wi += p.Nesterov ? vmu * vi - vlr * gi : vi;
                    }
                    wi.Store(w + i);
                }
            }
            for (; i < end; i++)
            {
                float wi = w[i];
                if (decay != 1) wi *= decay;
                if (mu == 0) wi += g[i] * -lr;
                else
                {
                    v[i] = mu * v[i] - lr * g[i];
                    wi += p.Nesterov ? mu * v[i] - lr * g[i] : v[i];
                }
                w[i] = wi;
            }
        }
    }

    private readonly struct AdamStep(float* w, float* g, float* m, float* v, AdamParameters p) : IStep
    {
        public void Range(int start, int end)
        {
            float b1 = p.Beta1, b2 = p.Beta2, c1 = 1 - b1, c2 = 1 - b2, alpha = p.Alpha, eps = p.Epsilon, decay = p.DecayFactor;
            int i = start;
            if (Vector256.IsHardwareAccelerated)
            {
                Vector256<float> vb1 = Vector256.Create(b1), vb2 = Vector256.Create(b2), vc1 = Vector256.Create(c1), vc2 = Vector256.Create(c2),
                    valpha = Vector256.Create(alpha), veps = Vector256.Create(eps), vdecay = Vector256.Create(decay);
                for (; i <= end - 8; i += 8)
                {
                    var wi = Vector256.Load(w + i);
                    if (decay != 1) wi *= vdecay;
                    var gi = Vector256.Load(g + i);
                    var mi = vb1 * Vector256.Load(m + i) + vc1 * gi;
                    var vi = vb2 * Vector256.Load(v + i) + vc2 * gi * gi;
                    mi.Store(m + i);
                    vi.Store(v + i);
                    (wi - valpha * mi / (Vector256.Sqrt(vi) + veps)).Store(w + i);
                }
            }
            for (; i < end; i++)
            {
                float wi = w[i];
                if (decay != 1) wi *= decay;
                float gi = g[i];
                m[i] = b1 * m[i] + c1 * gi;
                v[i] = b2 * v[i] + c2 * gi * gi;
                w[i] = wi - alpha * m[i] / (MathF.Sqrt(v[i]) + eps);
            }
        }
    }

    private readonly struct RmsPropStep(float* w, float* g, float* s, float* u, RmsPropParameters p) : IStep
    {
        public void Range(int start, int end)
        {
            float rho = p.Rho, c = 1 - rho, lr = p.LearningRate, eps = p.Epsilon, mu = p.Momentum, decay = p.DecayFactor;
            int i = start;
            if (Vector256.IsHardwareAccelerated)
            {
                Vector256<float> vrho = Vector256.Create(rho), vc = Vector256.Create(c), vlr = Vector256.Create(lr), veps = Vector256.Create(eps),
                    vmu = Vector256.Create(mu), vdecay = Vector256.Create(decay);
                for (; i <= end - 8; i += 8)
                {
                    var wi = Vector256.Load(w + i);
                    if (decay != 1) wi *= vdecay;
                    var gi = Vector256.Load(g + i);
                    var si = vrho * Vector256.Load(s + i) + vc * gi * gi;
                    si.Store(s + i);
                    var step = vlr * gi / Vector256.Sqrt(si + veps);
                    if (mu != 0)
                    {
                        step = vmu * Vector256.Load(u + i) + step;
                        step.Store(u + i);
                    }
                    (wi - step).Store(w + i);
                }
            }
            for (; i < end; i++)
            {
                float wi = w[i];
                if (decay != 1) wi *= decay;
                float gi = g[i];
                s[i] = rho * s[i] + c * gi * gi;
                float step = lr * gi / MathF.Sqrt(s[i] + eps);
                if (mu != 0)
                {
                    u[i] = mu * u[i] + step;
                    step = u[i];
                }
                w[i] = wi - step;
            }
        }
    }
}
