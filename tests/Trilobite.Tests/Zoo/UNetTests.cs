using Trilobite.Layers;
using Trilobite.Zoo;

namespace Trilobite.Tests.Zoo;

/// <summary>The U-Nets' shapes and parameter counts (counts from Golden/unet_counts.py, computed from the paper's description).</summary>
public class UNetTests
{
    private static long Parameters(Model m) => m.Weights.Sum(w => (long)w.Value.Length);

    [Fact]
    public void ThePapersNetworkMaps572To388With23ConvolutionsAnd31030658Parameters()
    {
        var unet = UNet.Paper();
        Assert.Equal([572, 572, 1], unet.InputShape);
        Assert.Equal([388, 388, 2], unet.OutputShape);
        Assert.Equal(23, unet.Layers.Count(l => l is Conv2D or Conv2DTranspose));
        Assert.Equal(4, unet.Layers.OfType<Conv2DTranspose>().Count());
        Assert.Equal(4, unet.Layers.OfType<Cropping2D>().Count());
        Assert.Equal(31_030_658, Parameters(unet));
        // The top level's skip: 568×568×64, cropped by 88 on each side to the 392×392 of the last up-step.
        var crop = unet.Layers.OfType<Cropping2D>().Single(c => c.Name == "up1_crop");
        Assert.Equal((88, 88, 88, 88), crop.Crop);
        Assert.Contains("up1_crop", unet.SummaryText());
    }

    [Theory]
    [InlineData(570, "Nearest sizes that work: 556 and 572")]
    [InlineData(100, "Nearest sizes that work: 140")]
    public void AnInputThePapersNetworkCannotTakeNamesTheSizesThatWork(int size, string expected)
    {
        var e = Assert.Throws<ArgumentException>(() => UNet.Paper(size));
        Assert.Contains($"cannot take {size}×{size}", e.Message);
        Assert.Contains(expected, e.Message);
        Assert.Equal([140, 156, 172], UNet.PaperInputSizes().Take(3));
        Assert.Equal([132, 132, 2], UNet.Paper(316).OutputShape);   // every size loses 184 pixels, as 572 → 388
    }

    [Theory]
    [InlineData(1, 11, 16, 4, false, 1_945_403)]
    [InlineData(1, 11, 16, 4, true, 2_163_003)]
    [InlineData(3, 1, 8, 3, false, 121_881)]
    public void TheDefaultKeepsTheInputSizeAndCountsAsTheDescription(int channels, int classes, int baseFilters, int depth, bool bilinear, long expected)
    {
        int size = channels == 1 ? 128 : 64;
        var unet = UNet.Build([size, size, channels], classes, baseFilters, depth, bilinear);
        Assert.Equal([size, size, classes], unet.OutputShape);
        Assert.Equal(expected, Parameters(unet));
        Assert.Equal(bilinear ? depth : 0, unet.Layers.OfType<UpSampling2D>().Count());
    }

    [Fact]
    public void AnInputThatDoesNotDivideIsRefusedWithTheSizeToUse()
    {
        var e = Assert.Throws<ArgumentException>(() => UNet.Build([100, 128, 1], 2));
        Assert.Contains("divisible by 16 (2^4), got 100×128; resize or pad to 112×128", e.Message);
    }

    [Fact]
    public void ASmallUNetTrainsAndPredictsPerPixelProbabilities()
    {
        RandomSeed.Set(2);
        var unet = UNet.Build([16, 16, 1], 3, baseFilters: 4, depth: 2);
        unet.Compile(Loss.CategoricalCrossentropy, new Adam(1e-2));
        var x = Tensor.Uniform([4, 16, 16, 1], 0, 1, 5);
        // Class by brightness band: a per-pixel target the network can learn.
        float[] pixels = x.ToArray(), onehot = new float[pixels.Length * 3];
        for (int i = 0; i < pixels.Length; i++) onehot[i * 3 + Math.Min(2, (int)(pixels[i] * 3))] = 1;
        var y = Tensor.FromArray(onehot, [4, 16, 16, 3]);
        var history = unet.Fit(x, y, new FitOptions { BatchSize = 4, Epochs = 30, Verbose = 0 });
        Assert.True(history["loss"][^1] < 0.6 * history["loss"][0], $"loss {history["loss"][0]} -> {history["loss"][^1]}");
        var p = unet.Predict(x).ToArray();
        for (int i = 0; i < 16 * 16; i++) Assert.Equal(1.0, p[i * 3] + p[i * 3 + 1] + p[i * 3 + 2], 4);
    }
}
