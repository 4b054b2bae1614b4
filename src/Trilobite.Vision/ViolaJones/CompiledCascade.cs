using System.Runtime.CompilerServices;

namespace Trilobite.Vision.ViolaJones;

/// <summary>
/// A cascade flattened for one integral-image row length (stride): every rectangle becomes four table offsets
/// relative to the window's top-left corner (OpenCV's <c>OptFeature</c>), stumps are packed in one array, and
/// stage thresholds carry OpenCV's −1e-5. <see cref="RunAt"/> evaluates one window exactly as OpenCV's
/// <c>HaarEvaluator::setWindow</c> + <c>predictOrderedStump</c> do, in the same float/double arithmetic.
/// </summary>
internal sealed unsafe class CompiledCascade
{
    private const float ThresholdEps = 1e-5f;

    internal struct OptFeature
    {
        public int A0, A1, A2, A3, B0, B1, B2, B3, C0, C1, C2, C3;
        public float W0, W1, W2;
    }

    internal struct Stump
    {
        public OptFeature F;
        public float Threshold, Left, Right;
    }

    private readonly int[] stageCounts;
    private readonly float[] stageThresholds;
    private readonly Stump[]? stumps;           // when every weak classifier is a stump
    private readonly OptFeature[] features;
    private readonly WeakClassifier[][] trees;  // general path
    private readonly int n0, n1, n2, n3;
    private readonly double normArea;

    public CompiledCascade(HaarCascade cascade, int stride)
    {
        Stride = stride;
        int ww = cascade.WindowWidth, wh = cascade.WindowHeight;
        (n0, n1, n2, n3) = Offsets(1, 1, ww - 2, wh - 2, stride);
        normArea = (ww - 2) * (wh - 2);
        features = cascade.Features.Select(f => Compile(f, stride)).ToArray();
        stageCounts = cascade.Stages.Select(s => s.Classifiers.Count).ToArray();
        stageThresholds = cascade.Stages.Select(s => s.Threshold - ThresholdEps).ToArray();
        trees = cascade.Stages.Select(s => s.Classifiers.ToArray()).ToArray();
        if (cascade.Stages.All(s => s.Classifiers.All(w => w.IsStump)))
        {
            stumps = cascade.Stages.SelectMany(s => s.Classifiers).Select(w => new Stump
            {
                F = features[w.Nodes[0].FeatureIndex],
                Threshold = w.Nodes[0].Threshold,
                Left = w.Leaves[w.Nodes[0].Left <= 0 ? -w.Nodes[0].Left : 0],
                Right = w.Leaves[w.Nodes[0].Right <= 0 ? -w.Nodes[0].Right : 0],
            }).ToArray();
        }
    }

    public int Stride { get; }

    /// <summary>
    /// 1 when the window at table index <paramref name="p"/> (= y·stride + x) passes every stage; −k when stage k
    /// rejects it (0 = the first stage); −1 also when the window is too flat to evaluate (as OpenCV).
    /// </summary>
    public int RunAt(int* sum, int* sq, int p)
    {
        int* pw = sum + p;
        int* pq = sq + p;
        int valsum = pw[n0] - pw[n1] - pw[n2] + pw[n3];
        uint valsq = unchecked((uint)(pq[n0] - pq[n1] - pq[n2] + pq[n3]));
        if (!IntegralImage.NormFactor(normArea, valsum, valsq, out float vnf))
            return -1;
        return stumps is not null ? RunStumps(pw, vnf) : RunTrees(pw, vnf);
    }

    private int RunStumps(int* pw, float vnf)
    {
        fixed (Stump* all = stumps)
        {
            Stump* s = all;
            for (int stage = 0; stage < stageCounts.Length; stage++)
            {
                double tmp = 0;
                Stump* end = s + stageCounts[stage];
                for (; s < end; s++)
                {
                    float value = Calc(in s->F, pw) * vnf;
                    tmp += value < s->Threshold ? s->Left : s->Right;
                }
                if (tmp < stageThresholds[stage])
                    return -stage;
            }
        }
        return 1;
    }

    private int RunTrees(int* pw, float vnf)
    {
        fixed (OptFeature* f = features)
        {
            for (int stage = 0; stage < trees.Length; stage++)
            {
                double tmp = 0;
                foreach (var weak in trees[stage])
                {
                    int idx = 0;
                    do
                    {
                        var node = weak.Nodes[idx];
                        float value = Calc(in f[node.FeatureIndex], pw) * vnf;
                        idx = value < node.Threshold ? node.Left : node.Right;
                    } while (idx > 0);
                    tmp += weak.Leaves[-idx];
                }
                if (tmp < stageThresholds[stage])
                    return -stage;
            }
        }
        return 1;
    }

    // OpenCV's OptFeature::calc: w0·S0 + w1·S1 (+ w2·S2), each S an int converted to float.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static float Calc(in OptFeature f, int* p)
    {
        float ret = f.W0 * (p[f.A0] - p[f.A1] - p[f.A2] + p[f.A3]) + f.W1 * (p[f.B0] - p[f.B1] - p[f.B2] + p[f.B3]);
        if (f.W2 != 0)
            ret += f.W2 * (p[f.C0] - p[f.C1] - p[f.C2] + p[f.C3]);
        return ret;
    }

    private static OptFeature Compile(HaarFeature feature, int stride)
    {
        var o = new OptFeature();
        var r = feature.Rects;
        (o.A0, o.A1, o.A2, o.A3) = Offsets(r[0].X, r[0].Y, r[0].Width, r[0].Height, stride);
        o.W0 = r[0].Weight;
        if (r.Count > 1)
        {
            (o.B0, o.B1, o.B2, o.B3) = Offsets(r[1].X, r[1].Y, r[1].Width, r[1].Height, stride);
            o.W1 = r[1].Weight;
        }
        if (r.Count > 2)
        {
            (o.C0, o.C1, o.C2, o.C3) = Offsets(r[2].X, r[2].Y, r[2].Width, r[2].Height, stride);
            o.W2 = r[2].Weight;
        }
        return o;
    }

    // OpenCV's CV_SUM_OFS: the four corners of a rectangle in a table with the given row length.
    private static (int, int, int, int) Offsets(int x, int y, int w, int h, int stride) =>
        (y * stride + x, y * stride + x + w, (y + h) * stride + x, (y + h) * stride + x + w);
}
