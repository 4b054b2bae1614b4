using Trilobite.Vision.Imaging;

namespace Trilobite.Vision.ViolaJones.Training;

/// <summary>
/// Trains a Viola–Jones cascade (opencv_traincascade's procedure, in small): for each stage, keep the positives the
/// cascade so far accepts, mine negative windows it still accepts (false alarms) from images without the object,
/// evaluate a random subset of Haar features on all of them and boost a stage with <see cref="BoostedStage"/>.
/// Training stops after <see cref="CascadeTrainingOptions.Stages"/> stages or when no more false alarms are found.
/// The result is an ordinary <see cref="HaarCascade"/> (only the features used are kept), savable as OpenCV XML.
/// <code>
/// var cascade = CascadeTrainer.Train(zeros24x24, scenesWithoutZeros, new CascadeTrainingOptions { Stages = 6 });
/// cascade.Save("digit0.xml");
/// </code>
/// </summary>
public static class CascadeTrainer
{
    /// <param name="positives">Object images, each exactly the window size.</param>
    /// <param name="negativeImages">Images that contain no object; negative windows are cut from their pyramids.</param>
    /// <param name="options">Stage targets, feature sampling and negative mining settings.</param>
    /// <param name="log">Receives one line per stage (hit rate, false-alarm rate, weak classifiers).</param>
    public static HaarCascade Train(IReadOnlyList<GrayImage> positives, IReadOnlyList<GrayImage> negativeImages,
        CascadeTrainingOptions options, Action<string>? log = null)
    {
        ArgumentNullException.ThrowIfNull(positives);
        ArgumentNullException.ThrowIfNull(negativeImages);
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        int ww = options.WindowWidth, wh = options.WindowHeight;
        foreach (var p in positives)
            if (p.Width != ww || p.Height != wh)
                throw new ArgumentException($"CascadeTrainer: positives must be {ww}x{wh}, got {p.Width}x{p.Height}.", nameof(positives));
        var random = new Random(options.Seed);
        var miner = new NegativeMiner(negativeImages, ww, wh, options.ScaleFactor, random);

        var posWindows = positives.Select(TrainingWindow.TryCreate).OfType<TrainingWindow>().ToList();
        if (posWindows.Count == 0)
            throw new ArgumentException("CascadeTrainer: every positive is too flat (σ ≤ 10) for the detector to evaluate.", nameof(positives));

        var features = new List<HaarFeature>();
        var featureIndex = new Dictionary<string, int>();
        var stages = new List<CascadeStage>();
        for (int s = 0; s < options.Stages; s++)
        {
            var current = stages.Count == 0 ? null : new CascadeDetector(new HaarCascade(ww, wh, stages, features));
            var pos = current is null ? posWindows : posWindows.Where(p => Accepts(current, p)).ToList();
            var neg = miner.Mine(options.NegativesPerStage, current);
            if (neg.Count == 0 || pos.Count == 0)
            {
                log?.Invoke($"stage {s}: stopping, {pos.Count} positives and {neg.Count} false alarms left");
                break;
            }

            var candidates = HaarFeatureGenerator.Sample(ww, wh, options.FeaturesPerStage, random, options.FeatureStep);
            var samples = pos.Concat(neg).ToArray();
            var labels = samples.Select((_, i) => i < pos.Count).ToArray();
            var values = new float[candidates.Count][];
            Parallel.For(0, candidates.Count, new ParallelOptions { MaxDegreeOfParallelism = options.MaxDegreeOfParallelism }, f =>
            {
                var row = new float[samples.Length];
                for (int i = 0; i < samples.Length; i++) row[i] = samples[i].Value(candidates[f]);
                values[f] = row;
            });

            var result = BoostedStage.Train(values, labels, options.MinHitRate, options.MaxFalseAlarmRate, options.MaxWeakCount, options.MaxDegreeOfParallelism);
            var weak = result.Stumps.Select(st => WeakClassifier.Stump(Intern(candidates[st.Feature], features, featureIndex), st.Threshold, st.Left, st.Right)).ToList();
            stages.Add(new CascadeStage(result.Threshold, weak));
            log?.Invoke($"stage {s}: {pos.Count} positives, {neg.Count} negatives (acceptance {miner.LastAcceptance:G3}), {weak.Count} weak classifiers, hit {result.HitRate:F4}, false alarm {result.FalseAlarm:F4}");
        }
        if (stages.Count == 0)
            throw new InvalidOperationException("CascadeTrainer: no stage could be trained (no negative windows found).");
        return new HaarCascade(ww, wh, stages, features);
    }

    private static bool Accepts(CascadeDetector detector, TrainingWindow w) => detector.Accepts(w.Integral);

    private static int Intern(HaarFeature f, List<HaarFeature> features, Dictionary<string, int> index)
    {
        string key = f.ToString();
        if (!index.TryGetValue(key, out int i))
        {
            index[key] = i = features.Count;
            features.Add(f);
        }
        return i;
    }
}
