using Trilobite.Layers;
using Trilobite.Zoo;

namespace Trilobite.Tests.Zoo;

/// <summary>
/// Parameter counts of the model zoo. The AlexNet- and VGG-inspired totals are what Keras printed for the lecture's
/// notebooks (alexnet_in_keras.ipynb, vggnet_in_keras.ipynb in the-deep-learners/deep-learning-illustrated); VGG16,
/// VGG19 and ResNet50 are keras.applications' numbers; ResNet-18/34's trainable counts are torchvision's.
/// </summary>
public class ZooParameterCountTests
{
    private static (long Total, long Trainable, long NonTrainable) Count(Model m)
    {
        long total = m.Weights.Sum(w => (long)w.Size), trainable = m.TrainableWeights.Sum(w => (long)w.Size);
        return (total, trainable, total - trainable);
    }

    [Fact]
    public void LeNet5()
    {
        var m = Trilobite.Zoo.LeNet5.Build();
        // C1 6·(25+1) = 156, C3 16·(150+1) = 2,416, C5 400·120+120 = 48,120, F6 120·84+84 = 10,164, out 84·10+10 = 850.
        Assert.Equal((61_706L, 61_706L, 0L), Count(m));
        Assert.Equal([5, 5, 16], m.Layers.OfType<AveragePooling2D>().Last().OutputShape);
        var padded = Trilobite.Zoo.LeNet5.Build([28, 28, 1]);
        Assert.Equal(61_706L, Count(padded).Total);
        Assert.IsType<ZeroPadding2D>(padded.Stack[0]);
    }

    [Fact]
    public void AlexNetInspiredMatchesKeras()
    {
        var m = AlexNetInspired.Build(classes: 17);
        Assert.Equal((21_883_153L, 21_881_681L, 1_472L), Count(m));
        string text = m.SummaryText();
        Assert.Contains("conv2d_1 (Conv2D)            (None, 54, 54, 96)        34944", text);
        Assert.Contains("batch_normalization_3 (BatchNormalization) (None, 1, 1, 384) 1536", text);
        Assert.Contains("Total params: 21,883,153", text);
        Assert.Contains("Trainable params: 21,881,681", text);
        Assert.Contains("Non-trainable params: 1,472", text);
    }

    /// <summary>The lecture's slide: four blocks. 158,711,889 from an independent PyTorch build (Golden/vgg_inspired_counts.py).</summary>
    [Fact]
    public void VggInspiredIsTheSlidesNetwork()
    {
        var m = VggInspired.Build(classes: 17);
        Assert.Equal((158_711_889L, 158_709_969L, 1_920L), Count(m));
        Assert.Equal(4, m.Stack.OfType<MaxPooling2D>().Count());
        Assert.Equal(10, m.Stack.OfType<Conv2D>().Count());
        string text = m.SummaryText();
        Assert.Contains("conv2d_10 (Conv2D)           (None, 17, 17, 512)       2359808", text);
        Assert.Contains("flatten_1 (Flatten)          (None, 32768)             0", text);
        Assert.Contains("dense_1 (Dense)              (None, 4096)              134221824", text);
        Assert.Contains("Total params: 158,711,889", text);
    }

    /// <summary>The book's notebook (five blocks): Keras prints 33,672,785; PyTorch agrees (Golden/vgg_inspired_counts.py).</summary>
    [Fact]
    public void VggInspiredNotebookMatchesKeras()
    {
        var m = VggInspired.BuildNotebook(classes: 17);
        Assert.Equal((33_672_785L, 33_669_841L, 2_944L), Count(m));
        string text = m.SummaryText();
        Assert.Contains("conv2d_13 (Conv2D)           (None, 2, 2, 512)         2359808", text);
        Assert.Contains("dense_1 (Dense)              (None, 4096)              2101248", text);
        Assert.Contains("Non-trainable params: 2,944", text);
    }

    [Fact]
    public void Vgg16MatchesKerasApplications()
    {
        var m = Trilobite.Zoo.Vgg16.Build();
        Assert.Equal((138_357_544L, 138_357_544L, 0L), Count(m));
        Assert.Equal([1000], m.OutputShape);
        Assert.Contains("block5_pool (MaxPooling2D)", m.SummaryText());
    }

    [Fact]
    public void VggWithoutTop()
    {
        Assert.Equal(14_714_688L, Count(Trilobite.Zoo.Vgg16.Build(includeTop: false)).Total);
        var m19 = Trilobite.Zoo.Vgg19.Build(includeTop: false);
        Assert.Equal(20_024_384L, Count(m19).Total);
        Assert.Equal([7, 7, 512], m19.OutputShape);
    }

    [Fact]
    public void ResNet50MatchesKerasApplications()
    {
        var m = ResNet.Build(50);
        Assert.Equal((25_636_712L, 25_583_592L, 53_120L), Count(m));
        Assert.Equal([1000], m.OutputShape);
        Assert.Equal(53, m.Layers.OfType<Conv2D>().Count());      // 49 in the main path + 4 projections
        Assert.Equal(16, m.Layers.OfType<Add>().Count());
        string text = m.SummaryText();
        Assert.Contains("Connected to", text);
        Assert.Contains("conv5_block3_add (Add)", text);
        Assert.Contains("conv2_block1_0_bn[0][0], conv2_block1_3_bn[0][0]", text);
        Assert.Contains("Total params: 25,636,712", text);
    }

    [Fact]
    public void ResNet18And34MatchTorchvision()
    {
        var r18 = ResNet.Build(18);
        Assert.Equal(11_689_512L, Count(r18).Trainable);
        Assert.Equal(8, r18.Layers.OfType<Add>().Count());
        Assert.Equal([7, 7, 512], r18.Layers.OfType<GlobalAveragePooling2D>().Single().InputShapes[0]);
        var r34 = ResNet.Build(34, includeTop: false);
        Assert.Equal(21_797_672L - (512 * 1000 + 1000), Count(r34).Trainable);
        Assert.Equal([7, 7, 512], r34.OutputShape);
        Assert.Throws<ArgumentOutOfRangeException>(() => ResNet.Build(20));
    }

    [Fact]
    public void SmallResNet()
    {
        var m = Trilobite.Zoo.SmallResNet.Build([28, 28, 1], classes: 10);
        Assert.Equal((176_090L, 174_970L, 1_120L), Count(m));
        Assert.Equal(6, m.Layers.OfType<Add>().Count());
        Assert.Equal([7, 7, 64], m.Layers.OfType<GlobalAveragePooling2D>().Single().InputShapes[0]);
        Assert.Equal([8, 8, 64], Trilobite.Zoo.SmallResNet.Build([32, 32, 3]).Layers.OfType<GlobalAveragePooling2D>().Single().InputShapes[0]);
    }
}
