namespace Trilobite.Vision.ViolaJones.Training;

/// <summary>
/// Discrete AdaBoost (Freund–Schapire, as used by Viola–Jones) over decision stumps on precomputed feature values,
/// building one cascade stage.
/// Round t: normalise weights; for every feature pick the threshold and polarity of least weighted error ε
/// (one pass over the samples sorted by that feature's value); keep the best stump, α = ½ ln((1−ε)/ε), leaves ±α;
/// multiply each sample's weight by exp(−α·y·h(x)). After each round the stage threshold is set so that a fraction
/// <c>minHitRate</c> of positives passes; stop when the false-alarm rate on negatives is ≤ <c>maxFalseAlarm</c>.
/// </summary>
internal static class BoostedStage
{
    public sealed record Result(List<(int Feature, float Threshold, float Left, float Right)> Stumps, float Threshold, double HitRate, double FalseAlarm);

    /// <param name="values">values[f][i]: normalised value of feature f on sample i.</param>
    /// <param name="positive">label of sample i.</param>
    /// <param name="minHitRate">fraction of positives the stage must keep.</param>
    /// <param name="maxFalseAlarm">largest fraction of negatives the stage may pass.</param>
    /// <param name="maxWeakCount">most stumps in the stage.</param>
    /// <param name="maxDegreeOfParallelism">threads (−1: all).</param>
    public static Result Train(float[][] values, bool[] positive, double minHitRate, double maxFalseAlarm, int maxWeakCount, int maxDegreeOfParallelism)
    {
        int nf = values.Length, n = positive.Length;
        int nPos = positive.Count(p => p), nNeg = n - nPos;
        if (nPos == 0 || nNeg == 0)
            throw new ArgumentException($"AdaBoost needs positives and negatives, got {nPos} and {nNeg}.");
        var parallel = new ParallelOptions { MaxDegreeOfParallelism = maxDegreeOfParallelism };

        // Sample order by value, per feature (computed once: weights change, order does not).
        var order = new int[nf][];
        Parallel.For(0, nf, parallel, f =>
        {
            var idx = new int[n];
            for (int i = 0; i < n; i++) idx[i] = i;
            var keys = (float[])values[f].Clone();
            Array.Sort(keys, idx);
            order[f] = idx;
        });

        var w = new double[n];
        for (int i = 0; i < n; i++) w[i] = positive[i] ? 0.5 / nPos : 0.5 / nNeg;
        var score = new double[n];
        var stumps = new List<(int, float, float, float)>();
        float stageThreshold = 0;
        double hit = 0, fa = 1;

        while (stumps.Count < maxWeakCount)
        {
            double total = w.Sum();
            for (int i = 0; i < n; i++) w[i] /= total;
            double tPos = 0, tNeg = 0;
            for (int i = 0; i < n; i++) { if (positive[i]) tPos += w[i]; else tNeg += w[i]; }

            var best = new (double Err, float Thr, bool PosAbove)[nf];
            Parallel.For(0, nf, parallel, f => best[f] = BestSplit(values[f], order[f], positive, w, tPos, tNeg));
            int bf = 0;
            for (int f = 1; f < nf; f++) if (best[f].Err < best[bf].Err) bf = f;
            var (err, thr, posAbove) = best[bf];
            err = Math.Clamp(err, 1e-10, 1 - 1e-10);
            if (err >= 0.5) break;   // no feature beats chance any more
            float alpha = (float)(0.5 * Math.Log((1 - err) / err));
            // value < thr → left. Positives above the threshold: left = −α, right = +α.
            float left = posAbove ? -alpha : alpha, right = -left;
            stumps.Add((bf, thr, left, right));

            for (int i = 0; i < n; i++)
            {
                float leaf = values[bf][i] < thr ? left : right;
                score[i] += leaf;                                   // double += float, as the detector sums
                bool says = leaf > 0;
                w[i] *= Math.Exp(says == positive[i] ? -alpha : alpha);
            }
            (stageThreshold, hit, fa) = ChooseThreshold(score, positive, minHitRate);
            if (fa <= maxFalseAlarm) break;
        }
        if (stumps.Count == 0)
            throw new InvalidOperationException("AdaBoost: no feature separates the samples better than chance.");
        return new Result(stumps, stageThreshold, hit, fa);
    }

    // One pass over the sorted samples: cumulative positive/negative weight below each candidate threshold.
    private static (double, float, bool) BestSplit(float[] v, int[] idx, bool[] positive, double[] w, double tPos, double tNeg)
    {
        double sPos = 0, sNeg = 0;
        double bestErr = double.MaxValue;
        float bestThr = 0;
        bool bestPosAbove = true;
        for (int k = 0; k < idx.Length; k++)
        {
            int i = idx[k];
            if (k > 0 && v[idx[k - 1]] < v[i])
            {
                // Threshold between the previous value and this one: samples before k are "below".
                double errPosAbove = sPos + (tNeg - sNeg);   // positives below and negatives above are wrong
                double errPosBelow = sNeg + (tPos - sPos);
                double e = Math.Min(errPosAbove, errPosBelow);
                if (e < bestErr)
                {
                    float lo = v[idx[k - 1]], hi = v[i];
                    float mid = lo + (hi - lo) * 0.5f;
                    bestThr = mid > lo ? mid : hi;   // must satisfy lo < thr ≤ hi
                    bestErr = e;
                    bestPosAbove = errPosAbove <= errPosBelow;
                }
            }
            if (positive[i]) sPos += w[i]; else sNeg += w[i];
        }
        return (bestErr, bestThr, bestPosAbove);
    }

    // Stage threshold keeping a fraction minHitRate of the positives (the detector passes score ≥ threshold − 1e-5).
    private static (float Threshold, double Hit, double FalseAlarm) ChooseThreshold(double[] score, bool[] positive, double minHitRate)
    {
        var pos = score.Where((_, i) => positive[i]).OrderBy(s => s).ToArray();
        int k = Math.Clamp((int)Math.Floor((1 - minHitRate) * pos.Length), 0, pos.Length - 1);
        float thr = (float)pos[k];
        double cut = thr - 1e-5f;
        int passPos = 0, passNeg = 0, nNeg = 0;
        for (int i = 0; i < score.Length; i++)
        {
            bool pass = score[i] >= cut;
            if (positive[i]) { if (pass) passPos++; }
            else { nNeg++; if (pass) passNeg++; }
        }
        return (thr, (double)passPos / pos.Length, nNeg == 0 ? 0 : (double)passNeg / nNeg);
    }
}
