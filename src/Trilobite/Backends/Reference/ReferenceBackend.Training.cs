using Trilobite.Kernels;

namespace Trilobite.Backends;

/// <summary>The Reference backend's losses, metric totals, optimizer updates and random fills.</summary>
internal sealed partial class ReferenceBackend
{
    public void SoftmaxCrossEntropy(StorageView logits, StorageView targets, int classes, StorageView gradient, StorageView loss)
    {
        Span<double> z = Span(logits), t = Span(targets), g = Span(gradient);
        int rows = z.Length / classes;
        double total = 0;
        for (int r = 0; r < rows; r++)
        {
            double lse = LogSumExp(z.Slice(r * classes, classes)), targetSum = 0;
            for (int i = 0; i < classes; i++) targetSum += t[r * classes + i];
            for (int i = 0; i < classes; i++)
            {
                int at = r * classes + i;
                total -= t[at] * (z[at] - lse);
                if (!g.IsEmpty) g[at] = (Math.Exp(z[at] - lse) * targetSum - t[at]) / rows;
            }
        }
        Span(loss)[0] = total / rows;
    }

    public void SparseSoftmaxCrossEntropy(StorageView logits, StorageView labels, int classes, StorageView gradient, StorageView loss)
    {
        Span<double> z = Span(logits), l = Span(labels), g = Span(gradient);
        int rows = z.Length / classes;
        double total = 0;
        for (int r = 0; r < rows; r++)
        {
            if (!(l[r] >= 0 && l[r] < classes))
                throw new ArgumentOutOfRangeException(nameof(labels), $"Label {l[r]} at row {r} is outside [0, {classes}).");
            int label = (int)l[r];
            double lse = LogSumExp(z.Slice(r * classes, classes));
            total -= z[r * classes + label] - lse;
            if (g.IsEmpty) continue;
            for (int i = 0; i < classes; i++) g[r * classes + i] = (Math.Exp(z[r * classes + i] - lse) - (i == label ? 1 : 0)) / rows;
        }
        Span(loss)[0] = total / rows;
    }

    public void SigmoidBinaryCrossEntropy(StorageView logits, StorageView targets, StorageView gradient, StorageView loss)
    {
        Span<double> z = Span(logits), t = Span(targets), g = Span(gradient);
        double total = 0;
        for (int i = 0; i < z.Length; i++)
        {
            // −[t·log σ(z) + (1 − t)·log(1 − σ(z))], written without overflow: max(z, 0) − z·t + log(1 + e^(−|z|)).
            total += Math.Max(z[i], 0) - z[i] * t[i] + Math.Log(1 + Math.Exp(-Math.Abs(z[i])));
            if (!g.IsEmpty) g[i] = (1 / (1 + Math.Exp(-z[i])) - t[i]) / z.Length;
        }
        Span(loss)[0] = total / z.Length;
    }

    public void SigmoidFocalLoss(StorageView logits, StorageView targets, float alpha, float gamma, StorageView loss, StorageView gradient)
    {
        Span<double> z = Span(logits), t = Span(targets), l = Span(loss), g = Span(gradient);
        for (int i = 0; i < z.Length; i++)
        {
            double p = 1 / (1 + Math.Exp(-z[i]));
            double crossEntropy = Math.Max(z[i], 0) - z[i] * t[i] + Math.Log(1 + Math.Exp(-Math.Abs(z[i])));
            double m = p + t[i] - 2 * p * t[i];                                    // 1 − pₜ
            double power = gamma == 0 ? 1 : m > 0 ? Math.Pow(m, gamma) : 0;
            double slope = gamma == 0 ? 0 : m > 0 ? gamma * Math.Pow(m, gamma - 1) : gamma == 1 ? 1 : 0;
            double w = alpha >= 0 ? alpha * t[i] + (1 - alpha) * (1 - t[i]) : 1;
            l[i] = w * power * crossEntropy;
            if (!g.IsEmpty) g[i] = w * ((p - t[i]) * power + crossEntropy * slope * (1 - 2 * t[i]) * p * (1 - p));
        }
    }

    public void MeanSquaredError(StorageView predictions, StorageView targets, StorageView gradient, StorageView loss)
    {
        Span<double> p = Span(predictions), t = Span(targets), g = Span(gradient);
        double total = 0;
        for (int i = 0; i < p.Length; i++)
        {
            total += (p[i] - t[i]) * (p[i] - t[i]);
            if (!g.IsEmpty) g[i] = 2 * (p[i] - t[i]) / p.Length;
        }
        Span(loss)[0] = total / p.Length;
    }

    private static double LogSumExp(ReadOnlySpan<double> row)
    {
        double max = double.NegativeInfinity, sum = 0;
        foreach (double v in row) max = Math.Max(max, v);
        foreach (double v in row) sum += Math.Exp(v - max);
        return max + Math.Log(sum);
    }

    public Storage AllocateAccumulators(int count) => new ReferenceStorage(Device, new double[count]);

    public void ClearAccumulators(Storage accumulators) => Array.Clear(Data(new StorageView(accumulators)));

    public void ReadAccumulators(Storage accumulators, Span<double> destination) => Data(new StorageView(accumulators)).CopyTo(destination);

    public void WriteAccumulators(Storage accumulators, ReadOnlySpan<double> source) => source.CopyTo(Data(new StorageView(accumulators)));

    public void AccumulateMean(StorageView value, double weight, Storage accumulators, int slot)
    {
        var totals = Data(new StorageView(accumulators));
        totals[slot] += Span(value)[0] * weight;
        totals[slot + 1] += weight;
    }

    public void AccumulateAccuracy(StorageView predictions, StorageView targets, int rows, int classes, AccuracyKind kind, Storage accumulators, int slot)
    {
        Span<double> p = Span(predictions), t = Span(targets);
        int correct = 0;
        for (int r = 0; r < rows; r++)
        {
            bool hit = kind switch
            {
                AccuracyKind.Binary => (p[r] > 0.5) == (t[r] > 0.5),
                AccuracyKind.Sparse => ArgMax(p.Slice(r * classes, classes)) == (int)t[r],
                _ => ArgMax(p.Slice(r * classes, classes)) == ArgMax(t.Slice(r * classes, classes)),
            };
            if (hit) correct++;
        }
        var totals = Data(new StorageView(accumulators));
        totals[slot] += correct;
        totals[slot + 1] += rows;
    }

    public void AccumulateTopK(StorageView predictions, StorageView targets, int rows, int classes, bool sparse, int k, Storage accumulators, int slot)
    {
        Span<double> p = Span(predictions), t = Span(targets);
        int correct = 0;
        for (int r = 0; r < rows; r++)
        {
            int target = sparse ? (int)t[r] : ArgMax(t.Slice(r * classes, classes));
            if (target < 0 || target >= classes) continue;
            int higher = 0;
            for (int i = 0; i < classes; i++) if (p[r * classes + i] > p[r * classes + target]) higher++;
            if (higher < k) correct++;
        }
        var totals = Data(new StorageView(accumulators));
        totals[slot] += correct;
        totals[slot + 1] += rows;
    }

    public void AccumulateConfusion(StorageView predictions, StorageView targets, int rows, int classes, bool sparse, int ignoreClass, Storage accumulators, int slot)
    {
        Span<double> p = Span(predictions), t = Span(targets);
        var totals = Data(new StorageView(accumulators));
        for (int r = 0; r < rows; r++)
        {
            int target = sparse ? (int)t[r] : ArgMax(t.Slice(r * classes, classes));
            if (target < 0 || target >= classes || target == ignoreClass) continue;
            totals[slot + target * classes + ArgMax(p.Slice(r * classes, classes))] += 1;
        }
    }

    /// <summary>The index of the first NaN, else of the first maximum.</summary>
    private static int ArgMax(ReadOnlySpan<double> row)
    {
        int best = 0;
        for (int i = 0; i < row.Length; i++)
        {
            if (double.IsNaN(row[i])) return i;
            if (row[i] > row[best]) best = i;
        }
        return best;
    }

    public void SgdUpdate(StorageView weight, StorageView gradient, StorageView velocity, in SgdParameters p)
    {
        Span<double> w = Span(weight), g = Span(gradient), v = Span(velocity);
        for (int i = 0; i < w.Length; i++)
        {
            w[i] *= p.DecayFactor;
            if (p.Momentum == 0) { w[i] -= p.LearningRate * g[i]; continue; }
            v[i] = p.Momentum * v[i] - p.LearningRate * g[i];
            w[i] += p.Nesterov ? p.Momentum * v[i] - p.LearningRate * g[i] : v[i];
        }
    }

    public void AdamUpdate(StorageView weight, StorageView gradient, StorageView m, StorageView v, in AdamParameters p)
    {
        Span<double> w = Span(weight), g = Span(gradient), ms = Span(m), vs = Span(v);
        for (int i = 0; i < w.Length; i++)
        {
            w[i] *= p.DecayFactor;
            ms[i] = p.Beta1 * ms[i] + (1 - (double)p.Beta1) * g[i];
            vs[i] = p.Beta2 * vs[i] + (1 - (double)p.Beta2) * g[i] * g[i];
            w[i] -= p.Alpha * ms[i] / (Math.Sqrt(vs[i]) + p.Epsilon);
        }
    }

    public void RmsPropUpdate(StorageView weight, StorageView gradient, StorageView meanSquare, StorageView momentum, in RmsPropParameters p)
    {
        Span<double> w = Span(weight), g = Span(gradient), s = Span(meanSquare), u = Span(momentum);
        for (int i = 0; i < w.Length; i++)
        {
            w[i] *= p.DecayFactor;
            s[i] = p.Rho * s[i] + (1 - (double)p.Rho) * g[i] * g[i];
            double step = p.LearningRate * g[i] / Math.Sqrt(s[i] + p.Epsilon);
            if (p.Momentum != 0) step = u[i] = p.Momentum * u[i] + step;
            w[i] -= step;
        }
    }

    // The streams are the generator's definition, shared so that both devices draw the same values bit for bit.

    public void FillUniform(StorageView destination, ulong seed, float low, float high)
    {
        var value = new RandomKernels.UniformValue(seed, low, high);
        var d = Span(destination);
        for (int i = 0; i < d.Length; i++) d[i] = value.At(i);
    }

    public void FillNormal(StorageView destination, ulong seed, float mean, float std)
    {
        var value = new RandomKernels.NormalValue(seed, mean, std, truncated: false);
        var d = Span(destination);
        for (int i = 0; i < d.Length; i++) d[i] = value.At(i);
    }

    public void FillTruncatedNormal(StorageView destination, ulong seed, float mean, float std)
    {
        var value = new RandomKernels.NormalValue(seed, mean, std, truncated: true);
        var d = Span(destination);
        for (int i = 0; i < d.Length; i++) d[i] = value.At(i);
    }

    public void FillDropoutMask(StorageView destination, ulong seed, float rate)
    {
        uint threshold = DropoutKernels.Threshold(rate);
        double keep = DropoutKernels.KeepScale(rate);
        var d = Span(destination);
        for (int i = 0; i < d.Length; i++) d[i] = DropoutKernels.Keeps(seed, i, threshold) ? keep : 0;
    }
}
