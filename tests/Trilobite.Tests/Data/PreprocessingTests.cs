using Trilobite.Data;

namespace Trilobite.Tests.Data;

public class PreprocessingTests
{
    [Fact]
    public void OneHotPutsAOneInTheLabelsColumn()
    {
        Assert.Equal([0, 1, 0, 1, 0, 0, 0, 0, 1], Preprocessing.OneHot([1, 0, 2], 3));
        Assert.Empty(Preprocessing.OneHot([], 3));
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => Preprocessing.OneHot([0, 3], 3));
        Assert.Contains("label 1 is 3, outside [0, 3)", e.Message);
    }

    [Fact]
    public void ScalesBytesToTheUnitInterval()
    {
        Assert.Equal([0f, 1f / 255f, 0.5019608f, 1f], Preprocessing.ToFloats([0, 1, 128, 255]));
        Assert.Equal([0f, 255f], Preprocessing.ToFloats([0, 255], scale: false));
    }

    [Fact]
    public void StandardizesToZeroMeanUnitVariance()
    {
        float[] x = [1, 2, 3, 4];
        var (mean, std) = Preprocessing.MeanStd(x);
        Assert.Equal(2.5f, mean);
        Assert.Equal(MathF.Sqrt(1.25f), std, 6);
        Preprocessing.Standardize(x, mean, std);
        var (m2, s2) = Preprocessing.MeanStd(x);
        Assert.Equal(0f, m2, 6);
        Assert.Equal(1f, s2, 6);
        Assert.Throws<ArgumentOutOfRangeException>(() => Preprocessing.Standardize(x, 0, 0));
    }

    [Fact]
    public void SeededShuffleIsAReproduciblePermutation()
    {
        int[] a = Preprocessing.Permutation(100, new Random(7));
        Assert.Equal(a, Preprocessing.Permutation(100, new Random(7)));
        Assert.NotEqual(a, Preprocessing.Permutation(100, new Random(8)));
        Assert.Equal(Enumerable.Range(0, 100), a.Order());
    }

    [Fact]
    public void ShufflingImagesKeepsEachLabelWithItsImage()
    {
        // Image i is filled with the value i, labelled i % 3.
        var pixels = Enumerable.Range(0, 6).SelectMany(i => Enumerable.Repeat((float)i, 4)).ToArray();
        var data = new LabeledImages(pixels, [0, 1, 2, 0, 1, 2], 2, 2, 1, ["a", "b", "c"]);
        var shuffled = Preprocessing.Shuffle(data, seed: 3);
        Assert.Equal(6, shuffled.Count);
        for (int i = 0; i < 6; i++)
            Assert.Equal(shuffled.Labels[i], (int)shuffled.Image(i)[0] % 3);
        Assert.Equal(shuffled.Labels, Preprocessing.Shuffle(data, seed: 3).Labels);
        Assert.Equal([0, 1, 0, 0, 0, 1, 1, 0, 0], data.Slice(1, 3).OneHotLabels()); // labels 1, 2, 0
    }

    [Fact]
    public void LabeledImagesChecksItsSizes()
    {
        var e = Assert.Throws<ArgumentException>(() => new LabeledImages(new float[7], [0, 1], 2, 2, 1, ["a", "b"]));
        Assert.Contains("2 labels of 2×2×1 images need 8 pixel values, got 7", e.Message);
        e = Assert.Throws<ArgumentException>(() => new LabeledImages(new float[8], [0, 2], 2, 2, 1, ["a", "b"]));
        Assert.Contains("label 1 is 2", e.Message);
        var ok = new LabeledImages(new float[8], [0, 1], 2, 2, 1, ["a", "b"]);
        Assert.Equal("LabeledImages(2×2×2×1, 2 classes)", ok.ToString());
        Assert.Throws<ArgumentOutOfRangeException>(() => ok.Slice(1, 2));
    }
}
