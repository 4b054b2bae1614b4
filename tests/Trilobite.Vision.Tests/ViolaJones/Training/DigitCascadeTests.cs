using System.Diagnostics;
using Trilobite.Vision.Imaging;
using Trilobite.Vision.ViolaJones;
using Trilobite.Vision.ViolaJones.Training;
using Xunit.Abstractions;

namespace Trilobite.Vision.Tests.ViolaJones.Training;

/// <summary>
/// End to end on real data: train a small cascade that finds the digit 0 in scenes of real MNIST digits (train
/// split of the shared sample), save it as OpenCV XML, load it back, and score it on held-out scenes built from the
/// test split: hit rate (IoU ≥ 0.5 with the pasted 0) and false positives per scene.
/// </summary>
public sealed class DigitCascadeTests(ITestOutputHelper output)
{
    private const int Target = 0;

    [SharedDataFact]
    public void TrainedCascadeFindsZerosInHeldOutScenes()
    {
        var dir = SharedData.Path("mnist-sample");
        var (trainX, trainY) = MnistIdx.Load(dir, "train");
        var (testX, testY) = MnistIdx.Load(dir, "t10k");
        var random = new Random(6);

        var clock = Stopwatch.StartNew();
        var positives = trainX.Where((_, i) => trainY[i] == Target).Take(700).Select(d => d.Resize(24, 24)).ToList();
        var trainOthers = trainX.Where((_, i) => trainY[i] != Target).ToList();
        var negativeScenes = DigitScenes.Make(200, 96, [], trainOthers, othersPerScene: 5, random).Select(s => s.Image).ToList();
        var options = new CascadeTrainingOptions
        {
            Stages = 8, MinHitRate = 0.995, MaxFalseAlarmRate = 0.4, MaxWeakCount = 30,
            NegativesPerStage = 800, FeaturesPerStage = 1500, FeatureStep = 2, Seed = 6,
        };
        var cascade = CascadeTrainer.Train(positives, negativeScenes, options, output.WriteLine);
        output.WriteLine($"training: {clock.Elapsed.TotalSeconds:F1} s, {cascade.Stages.Count} stages, {cascade.Stages.Sum(s => s.Classifiers.Count)} weak classifiers");

        var path = Path.Combine(Path.GetTempPath(), $"trilobite-digit{Target}-{Environment.ProcessId}.xml");
        cascade.Save(path);
        var loaded = HaarCascade.Load(path);
        File.Delete(path);

        var testZeros = testX.Where((_, i) => testY[i] == Target).ToList();
        var testOthers = testX.Where((_, i) => testY[i] != Target).ToList();
        var scenes = DigitScenes.Make(100, 96, testZeros, testOthers, othersPerScene: 3, new Random(7));
        var detector = new CascadeDetector(loaded);
        int hits = 0, falsePositives = 0, targets = 0;
        foreach (var scene in scenes)
        {
            var boxes = detector.DetectMultiScale(scene.Image, new DetectionOptions { ScaleFactor = 1.1, MinNeighbors = 3 });
            targets += scene.Targets.Count;
            hits += scene.Targets.Count(t => boxes.Any(b => b.IoU(t) >= 0.5));
            falsePositives += boxes.Count(b => !scene.Targets.Any(t => b.IoU(t) >= 0.5));
        }
        double hitRate = (double)hits / targets, fpPerScene = (double)falsePositives / scenes.Count;
        output.WriteLine($"held-out: {scenes.Count} scenes, hit rate {hitRate:F3} ({hits}/{targets}), false positives {falsePositives} ({fpPerScene:F2} per scene); total {clock.Elapsed.TotalSeconds:F1} s");
        Assert.True(hitRate >= 0.85, $"hit rate {hitRate:F3} < 0.85");
        Assert.True(fpPerScene <= 0.4, $"{fpPerScene:F2} false positives per scene > 0.4");
    }
}
