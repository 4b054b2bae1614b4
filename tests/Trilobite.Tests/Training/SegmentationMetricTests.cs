namespace Trilobite.Tests.Training;

/// <summary>Dice, MeanIoU and pixel accuracy against Keras's formulas on hand-made cases, on both devices.</summary>
public class SegmentationMetricTests
{
    [Theory]
    [MemberData(nameof(DefaultDevice.Both), MemberType = typeof(DefaultDevice))]
    public void DiceIsOneMinusTwiceTheOverlapOverTheSums(string device)
    {
        using var _ = DefaultDevice.Use(device);
        // Σyp = 0.9 + 0.6 + 0.3 = 1.8, Σy = 3, Σp = 2.0: 1 − 3.6 / (5 + 1e-7).
        var p = Tensor.FromArray([0.9f, 0.2f, 0.6f, 0.3f], 1, 2, 2, 1);
        var y = Tensor.FromArray([1f, 0f, 1f, 1f], 1, 2, 2, 1);
        Assert.Equal(1 - 3.6 / (5 + 1e-7), Loss.Dice.Compute(p, y).ToArray()[0], 5);

        // Per class, two classes one-hot over three pixels: class 0 has Σyp 0.8+0.7 = 1.5, Σy 2, Σp 0.8+0.7+0.1 = 1.6;
        // class 1 has Σyp 0.9, Σy 1, Σp 0.2+0.3+0.9 = 1.4. Mean of 1.5·2/3.6 and 0.9·2/2.4, from 1.
        var p2 = Tensor.FromArray([0.8f, 0.2f, 0.7f, 0.3f, 0.1f, 0.9f], 1, 3, 1, 2);
        var y2 = Tensor.FromArray([1f, 0f, 1f, 0f, 0f, 1f], 1, 3, 1, 2);
        double expected = 1 - (3.0 / 3.6 + 1.8 / 2.4) / 2;
        Assert.Equal(expected, new Losses.Dice { PerClass = true }.Compute(p2, y2).ToArray()[0], 5);
        Assert.Equal("dice_per_class", Loss.FromName("dice_per_class").Name);
    }

    [Fact]
    public void DicePassesAGradientThatRaisesTheOverlap()
    {
        var p = Tensor.FromArray([0.5f, 0.5f, 0.5f, 0.5f], 1, 2, 2, 1);
        p.RequiresGrad = true;
        var y = Tensor.FromArray([1f, 0f, 1f, 0f], 1, 2, 2, 1);
        Loss.Dice.Compute(p, y).Backward();
        float[] g = p.Grad!.ToArray();
        Assert.True(g[0] < 0 && g[2] < 0 && g[1] > 0 && g[3] > 0, string.Join(", ", g));   // raise the true pixels, lower the others
    }

    // Truth 0 0 1 1 2 0, prediction 0 1 1 1 0 0, four classes (3 absent from both).
    private static (Tensor Prediction, Tensor Sparse, Tensor OneHot) Case()
    {
        int[] truth = [0, 0, 1, 1, 2, 0], predicted = [0, 1, 1, 1, 0, 0];
        var p = new float[24];
        var t = new float[24];
        for (int i = 0; i < 6; i++) { p[i * 4 + predicted[i]] = 0.7f; p[i * 4 + (predicted[i] + 1) % 4] = 0.3f; t[i * 4 + truth[i]] = 1; }
        return (Tensor.FromArray(p, 1, 2, 3, 4), Tensor.FromArray([.. truth.Select(v => (float)v)], 1, 2, 3), Tensor.FromArray(t, 1, 2, 3, 4));
    }

    [Theory]
    [MemberData(nameof(DefaultDevice.Both), MemberType = typeof(DefaultDevice))]
    public void MeanIoULeavesOutClassesWithAnEmptyDenominatorAndHonoursIgnoreClass(string device)
    {
        using var _ = DefaultDevice.Use(device);
        var (p, sparse, oneHot) = Case();
        foreach (var target in new[] { sparse, oneHot })
        {
            var iou = new MeanIoU(4);
            iou.Update(p, target);
            // IoU: class 0 = 2 / (3 + 3 − 2), class 1 = 2 / (2 + 3 − 2), class 2 = 0 / 1, class 3 has no pixels: left out.
            Assert.Equal([0.5, 2.0 / 3, 0], iou.PerClass()[..3]);
            Assert.True(double.IsNaN(iou.PerClass()[3]));
            Assert.Equal((0.5 + 2.0 / 3 + 0) / 3, iou.Result, 10);
            var accuracy = new PixelAccuracy(4);
            accuracy.Update(p, target);
            Assert.Equal(4.0 / 6, accuracy.Result, 10);
        }
        // Ignoring class 2 drops pixel 4: class 0 becomes 2 / (3 + 2 − 2); class 2 has nothing left and is left out.
        var ignoring = new MeanIoU(4, ignoreClass: 2);
        ignoring.Update(p, sparse);
        Assert.Equal(2.0 / 3, ignoring.Result, 10);
        var ignoringAccuracy = new PixelAccuracy(4, ignoreClass: 2);
        ignoringAccuracy.Update(p, sparse);
        Assert.Equal(4.0 / 5, ignoringAccuracy.Result, 10);
        // Over the dataset: a second batch adds to the same confusion matrix (not an average of batch means).
        ignoring.Update(p, sparse);
        Assert.Equal(8, ignoring.ConfusionMatrix()[0, 0] + ignoring.ConfusionMatrix()[1, 1]);
        ignoring.Reset();
        Assert.Equal(0, ignoring.Result);
    }

    [Fact]
    public void SegmentationMetricsSaveWithTheirSettingsAndRefuseNonsense()
    {
        Assert.Equal("mean_io_u(11, ignore 0)", new MeanIoU(11, 0).ConfigName);
        var back = Assert.IsType<MeanIoU>(Metric.FromName("mean_io_u(11, ignore 0)"));
        Assert.Equal((11, 0), (back.NumClasses, back.IgnoreClass));
        Assert.IsType<PixelAccuracy>(Metric.FromName("pixel_accuracy(3)"));
        Assert.Throws<ArgumentOutOfRangeException>(() => new MeanIoU(1));
        Assert.Throws<ArgumentOutOfRangeException>(() => new MeanIoU(3, ignoreClass: 3));
        var (p, _, _) = Case();
        Assert.Contains("the predictions have 4 classes on their last axis, the metric 3", Assert.Throws<ArgumentException>(() => new MeanIoU(3).Update(p, Tensor.Zeros(1, 2, 3))).Message);
    }

    [Theory]
    [MemberData(nameof(DefaultDevice.Both), MemberType = typeof(DefaultDevice))]
    public void ClassWeightsWeightEachPixelByItsLabelAndSurviveSaving(string device)
    {
        using var _ = DefaultDevice.Use(device);
        var (p, sparse, _) = Case();
        float[] weights = [0.5f, 2f, 0f, 1f];
        var perPixel = Loss.SparseCategoricalCrossentropy.Compute(p, sparse, null).ToArray();   // the mean, to check the scale
        var values = new Losses.SparseCategoricalCrossentropy { Reduction = LossReduction.None }.Compute(p, sparse).ToArray();
        int[] truth = [0, 0, 1, 1, 2, 0];
        double expected = Enumerable.Range(0, 6).Sum(i => weights[truth[i]] * values[i]) / 6;       // Keras: weighted sum over all values
        var weighted = new Losses.SparseCategoricalCrossentropy { ClassWeights = weights };
        Assert.Equal(expected, weighted.Compute(p, sparse).ToArray()[0], 5);
        Assert.Equal(values.Average(), perPixel[0], 5);
        // Combined with a sample weight of 3 for the one sample: three times as much.
        Assert.Equal(3 * expected, weighted.Compute(p, sparse, Tensor.FromArray([3f], 1)).ToArray()[0], 4);
        Assert.Contains("3 class weights for a model with 4 classes", Assert.Throws<ArgumentException>(() =>
            new Losses.SparseCategoricalCrossentropy { ClassWeights = [1, 1, 1] }.Compute(p, sparse)).Message);
        Assert.Contains("Class weight 1 is -1", Assert.Throws<ArgumentException>(() => new Losses.SparseCategoricalCrossentropy { ClassWeights = [1, -1] }).Message);

        var model = new Sequential(new Trilobite.Layers.Conv2D(4, 1, activation: Activation.Softmax, inputShape: [2, 3, 4]));
        model.Compile(weighted, new Adam());
        model.TrainOnBatch(p, sparse);
        string file = Path.Combine(Path.GetTempPath(), $"trilobite-cw-{Guid.NewGuid():N}.trilobite");
        try
        {
            model.Save(file);
            var loaded = Assert.IsType<Losses.SparseCategoricalCrossentropy>(Model.Load(file).Loss);
            Assert.Equal(weights, loaded.ClassWeights);
        }
        finally { File.Delete(file); }
    }
}
