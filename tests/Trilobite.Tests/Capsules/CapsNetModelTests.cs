using Trilobite.Layers;
using Trilobite.Zoo;

namespace Trilobite.Tests.Capsules;

/// <summary>The paper's MNIST CapsNet: its parameter counts, its training step (margin + reconstruction), saving and loading.</summary>
public class CapsNetModelTests
{
    [Fact]
    public void MnistCapsNetHasThePapersParameterCounts()
    {
        var net = CapsNet.Mnist();
        Assert.Equal(8_215_568, net.ParameterCount);
        var decoder = net.Layers.Single(l => l.Name == "decoder");
        Assert.Equal(6_804_224, net.ParameterCount - decoder.ParameterCount);
        Assert.Equal([10], net.OutputShape);
        string summary = net.SummaryText();
        Assert.Contains("Total params: 8,215,568", summary);
        Assert.Contains("digitcaps (CapsuleLayer)", summary);
        Assert.Equal([1152, 10, 16, 8], ((CapsuleLayer)net.Layers.Single(l => l.Name == "digitcaps")).Transforms.Shape);
    }

    private static CapsNet Small(int seed)
    {
        RandomSeed.Set(seed);
        return CapsNet.Mnist([20, 20, 1], classes: 4);   // conv 12×12 → primary caps 2×2×32 = 128 capsules
    }

    private static (Tensor X, Tensor Y) Batch(int n, int seed) =>
        (Tensor.Uniform([n, 20, 20, 1], 0, 1, seed), Tensor.OneHot(Tensor.FromArray(Enumerable.Range(0, n).Select(i => (float)(i % 4)).ToArray(), n), 4));

    [Fact]
    public void TrainingAddsTheReconstructionOfTheTrueClassToTheMarginLoss()
    {
        var net = Small(1);
        net.Compile(Loss.Margin, new SGD());
        var (x, y) = Batch(4, 2);
        double total = net.TestOnBatch(x, y)["loss"];
        var capsules = net.DigitCapsules(x);
        double margin = Loss.Margin.Compute(capsules.VectorNorm(-1), y).ToArray()[0];
        var error = net.Reconstruct(capsules, y) - x;
        double reconstruction = 0.0005 * (error * error).Sum().ToArray()[0] / 4;
        Assert.Equal(margin + reconstruction, total, 5);
        net.ReconstructionWeight = 0;
        Assert.Equal(margin, net.TestOnBatch(x, y)["loss"], 5);
    }

    [Fact]
    public void AStepLowersTheLossAndSavingKeepsTheKindTheWeightsAndTheReconstructionWeight()
    {
        var net = Small(3);
        net.Compile(Loss.Margin, new Adam(1e-3), [Metric.Accuracy]);
        net.ReconstructionWeight = 0.001f;
        var (x, y) = Batch(8, 4);
        double before = net.TestOnBatch(x, y)["loss"];
        for (int i = 0; i < 5; i++) net.TrainOnBatch(x, y);
        Assert.True(net.TestOnBatch(x, y)["loss"] < before);

        string path = Path.Combine(Path.GetTempPath(), $"capsnet-{Guid.NewGuid():N}.trilo");
        try
        {
            net.Save(path);
            var loaded = Assert.IsType<CapsNet>(Model.Load(path));
            Assert.Equal(0.001f, loaded.ReconstructionWeight);
            Assert.Equal(net.Predict(x).ToArray(), loaded.Predict(x).ToArray());
            Assert.Equal(net.TestOnBatch(x, y)["loss"], loaded.TestOnBatch(x, y)["loss"], 6);
        }
        finally { File.Delete(path); }
    }

    [Fact]
    public void BadCapsuleOptionsAreRefusedWithTheirNames()
    {
        Assert.Contains("routings must be from 1 to 100, got 1000000", Assert.Throws<ArgumentException>(() => new CapsuleLayer(routings: 1_000_000)).Message);
        Assert.Contains("dim must be at least 1", Assert.Throws<ArgumentException>(() => new CapsuleLayer(dim: 0)).Message);
        Assert.Contains("types must be at least 1", Assert.Throws<ArgumentException>(() => new PrimaryCaps(types: 0)).Message);
        Assert.Contains("an image (H, W, C) of at least 9×9", Assert.Throws<LayerShapeException>(() => new PrimaryCaps().Build([8, 8, 1])).Message);
    }

    [Fact]
    public void AGraphOfAnotherShapeIsRefused()
    {
        var input = Input.Of([4, 2]);
        var lengths = new Length().Call(input);
        var error = Assert.Throws<ArgumentException>(() => new CapsNet([input], [lengths, lengths]));
        Assert.Contains("Length(capsules) and decoder(Mask(capsules))", error.Message);
    }
}
