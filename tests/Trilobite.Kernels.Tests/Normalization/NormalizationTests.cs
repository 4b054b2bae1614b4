namespace Trilobite.Kernels.Tests.Normalization;

public class NormalizationTests
{
    [Fact]
    public void SoftmaxIsStableForHugeLogits()
    {
        float[] x = [1000, 1001, 1002, -1000];
        var y = new float[4];
        SoftmaxKernels.Softmax(x, 4, y);
        Assert.Equal(1.0, y.Sum(), 5);
        Assert.Equal(0.665241, y[2], 5);
        Assert.Equal(0, y[3]);
        SoftmaxKernels.LogSoftmax(x, 4, y);
        Assert.Equal(-0.407606, y[2], 4);
        Assert.True(float.IsFinite(y[3]));
    }

    [Fact]
    public void BatchNormTrainingMatchesHandComputation()
    {
        float[] x = [1, 10, 3, 30];                 // 2 rows, 2 channels
        float[] mm = [0, 0], mv = [1, 1], y = new float[4], mean = new float[2], inv = new float[2];
        BatchNormKernels.ForwardTraining(x, 2, [1, 2], [0, 1], 1e-3f, 0.99f, mm, mv, y, mean, inv);
        Assert.Equal([2f, 20], mean);
        float s0 = 1 / MathF.Sqrt(1 + 1e-3f), s1 = 1 / MathF.Sqrt(100 + 1e-3f);
        Assert.Equal(-s0, y[0], 5);
        Assert.Equal(2 * -10 * s1 + 1, y[1], 4);
        Assert.Equal(0.02f, mm[0], 6);                // 0·0.99 + 2·0.01
        Assert.Equal(0.99f + 0.01f * 1f, mv[0], 6);    // biased batch variance 1
        Assert.Equal(0.99f + 0.01f * 100f, mv[1], 4);
    }

    [Fact]
    public void LossesAreStableAndCorrect()
    {
        var grad = new float[3];
        float loss = LossKernels.SparseSoftmaxCrossEntropy([0, 0, 1000], [2], 3, grad);
        Assert.Equal(0, loss, 5);
        Assert.Equal(1000, LossKernels.SparseSoftmaxCrossEntropy([0, 0, 1000], [0], 3, grad), 2);
        Assert.Equal(Math.Log(2), LossKernels.SigmoidBinaryCrossEntropy([0], [1], new float[1]), 6);
        Assert.Equal(1000, LossKernels.SigmoidBinaryCrossEntropy([-1000], [1], new float[1]), 2);
        Assert.Equal(2.5, LossKernels.MeanSquaredError([1, 2], [2, 4], new float[2]), 6);
    }

    [Fact]
    public void DropoutMaskIsSeededAndScaled()
    {
        var a = new float[1000];
        var b = new float[1000];
        DropoutKernels.FillMask(new Random(3), 0.25f, a);
        DropoutKernels.FillMask(new Random(3), 0.25f, b);
        Assert.Equal(a, b);
        Assert.All(a, v => Assert.True(v == 0 || Math.Abs(v - 4f / 3) < 1e-6));
        Assert.InRange(a.Count(v => v == 0), 200, 300);
    }

    [Fact]
    public void DropoutMaskVectorAndScalarPathsAgreeAndLookRandom()
    {
        // 1003 elements: 125 vectors of 8 and a scalar tail; 7 elements: the scalar path only.
        var longMask = new float[1003];
        var shortMask = new float[7];
        DropoutKernels.FillMask(42UL, 0.5f, longMask);
        DropoutKernels.FillMask(42UL, 0.5f, shortMask);
        Assert.Equal(shortMask, longMask[..7]);
        var tail = new float[1003];
        DropoutKernels.FillMask(42UL, 0.5f, tail);
        Assert.Equal(longMask, tail);

        var big = new float[1 << 20];
        DropoutKernels.FillMask(7UL, 0.5f, big);
        double kept = big.Count(v => v != 0) / (double)big.Length;
        Assert.InRange(kept, 0.4975, 0.5025);                     // ±5σ for 2^20 fair draws
        int sameAsNext = 0;
        for (int i = 0; i + 1 < big.Length; i++) if ((big[i] == 0) == (big[i + 1] == 0)) sameAsNext++;
        Assert.InRange(sameAsNext / (double)(big.Length - 1), 0.4975, 0.5025);   // neighbours independent
        var other = new float[1 << 20];
        DropoutKernels.FillMask(8UL, 0.5f, other);
        int agree = 0;
        for (int i = 0; i < big.Length; i++) if ((big[i] == 0) == (other[i] == 0)) agree++;
        Assert.InRange(agree / (double)big.Length, 0.4975, 0.5025);               // seeds 7 and 8 unrelated
        var rate01 = new float[1 << 20];
        DropoutKernels.FillMask(9UL, 0.1f, rate01);
        Assert.InRange(rate01.Count(v => v == 0) / (double)rate01.Length, 0.097, 0.103);
    }
}
