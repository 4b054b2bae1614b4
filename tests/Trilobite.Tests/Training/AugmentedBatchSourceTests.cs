using Trilobite.Training;

namespace Trilobite.Tests.Training;

public class AugmentedBatchSourceTests
{
    // The 3×3 one-channel image 1 2 3 / 4 5 6 / 7 8 9.
    private static float[] Image() => [1, 2, 3, 4, 5, 6, 7, 8, 9];

    [Theory]
    [InlineData(false, 0, 0, new float[] { 1, 2, 3, 4, 5, 6, 7, 8, 9 })]
    [InlineData(true, 0, 0, new float[] { 3, 2, 1, 6, 5, 4, 9, 8, 7 })]
    [InlineData(false, 1, 0, new float[] { 0, 0, 0, 1, 2, 3, 4, 5, 6 })]     // down one row
    [InlineData(false, 0, -1, new float[] { 2, 3, 0, 5, 6, 0, 8, 9, 0 })]    // left one column
    [InlineData(true, -1, 1, new float[] { 0, 6, 5, 0, 9, 8, 0, 0, 0 })]     // mirrored, up one, right one
    [InlineData(false, 3, 0, new float[] { 0, 0, 0, 0, 0, 0, 0, 0, 0 })]     // shifted out entirely
    public void TransformFlipsThenShiftsWithZeroFill(bool flip, int dy, int dx, float[] expected)
    {
        var image = Image();
        AugmentedBatchSource.Transform(image, 3, 3, 1, flip, dy, dx, new float[9]);
        Assert.Equal(expected, image);
    }

    [Fact]
    public void ChannelsMoveTogether()
    {
        float[] image = [1, 10, 2, 20, 3, 30, 4, 40];                        // 2×2×2
        AugmentedBatchSource.Transform(image, 2, 2, 2, flip: true, 0, 0, new float[8]);
        Assert.Equal([2, 20, 1, 10, 4, 40, 3, 30], image);
    }

    [Fact]
    public void DrawsAreSeededByEpochAndLabelsAreUntouched()
    {
        var x = Tensor.Uniform([64, 6, 6, 1], 0, 1, 3);
        var y = Tensor.Zeros(64, 2);
        for (int i = 0; i < 64; i++) y[i, i % 2] = 1;
        float[][] Epoch(int seed, int epoch) =>
            new AugmentedBatchSource(new ArrayBatchSource(x, y, 16, seed: 5), maxShift: 2, horizontalFlip: true, seed)
                .Batches(epoch).Select(b => b.X.ToArray()).ToArray();
        Assert.Equal(Epoch(1, 0), Epoch(1, 0));
        Assert.NotEqual(Epoch(1, 0), Epoch(1, 1));
        Assert.NotEqual(Epoch(1, 0), Epoch(2, 0));
        var plain = new ArrayBatchSource(x, y, 16, seed: 5).Batches(0).ToArray();
        var augmented = new AugmentedBatchSource(new ArrayBatchSource(x, y, 16, seed: 5), 2, true, 1).Batches(0).ToArray();
        Assert.Equal(plain.Select(b => b.Y.ToArray()), augmented.Select(b => b.Y.ToArray()));
        Assert.NotEqual(plain.Select(b => b.X.ToArray()), augmented.Select(b => b.X.ToArray()));
        // No shift and no flip leaves the images alone.
        var identity = new AugmentedBatchSource(new ArrayBatchSource(x, y, 16, seed: 5), 0, false, 1).Batches(0).ToArray();
        Assert.Equal(plain.Select(b => b.X.ToArray()), identity.Select(b => b.X.ToArray()));
    }

    [Fact]
    public void NonImageBatchesAreRefused()
    {
        var source = new AugmentedBatchSource(new ArrayBatchSource(Tensor.Zeros(4, 3), Tensor.Zeros(4, 1), 2), 1, false);
        var e = Assert.Throws<ArgumentException>(() => source.Batches(0).ToList());
        Assert.Contains("(N, H, W, C)", e.Message);
    }
}
