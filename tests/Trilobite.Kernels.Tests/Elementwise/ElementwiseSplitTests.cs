using System.Numerics.Tensors;

namespace Trilobite.Kernels.Tests.Elementwise;

[Collection(KernelThreadsCollection.Name)]
public class ElementwiseSplitTests
{
    // 300,001 elements: more than 2 × MinChunk, so two threads split it; the odd length puts a slice edge mid-vector.
    private const int Length = 300_001;

    [Fact]
    public void SplitResultsEqualOneSliceResultsEvenWhenOperandsAlias()
    {
        var random = new Random(3);
        float[] a = Enumerable.Range(0, Length).Select(_ => (float)random.NextDouble() - 0.5f).ToArray();
        float[] b = Enumerable.Range(0, Length).Select(_ => (float)random.NextDouble()).ToArray();
        var expectedSum = new float[Length];
        TensorPrimitives.Add(a, b, expectedSum);
        var expectedRelu = new float[Length];
        TensorPrimitives.Max(a, 0f, expectedRelu);
        int saved = KernelThreads.Count;
        try
        {
            KernelThreads.Count = 2;
            var sum = new float[Length];
            ElementwiseSplit.Run(a, b, sum, TensorPrimitives.Add);
            Assert.Equal(expectedSum, sum);
            var accumulated = (float[])b.Clone();
            ElementwiseSplit.Run(accumulated, a, accumulated, TensorPrimitives.Add);   // y = y + a in place
            Assert.Equal(expectedSum, accumulated);
            var relu = new float[Length];
            ElementwiseSplit.Run(a, relu, static (x, y) => TensorPrimitives.Max(x, 0f, y));
            Assert.Equal(expectedRelu, relu);
            var gradient = new float[Length];
            ActivationKernels.ReluBackward(expectedRelu, b, gradient);
            for (int i = 0; i < Length; i++) Assert.Equal(a[i] > 0 ? b[i] : 0, gradient[i]);
        }
        finally { KernelThreads.Count = saved; }
    }

    [Fact]
    public void OperandsOfDifferentLengthsAreRefused()
    {
        var e = Assert.Throws<ArgumentException>(() => ElementwiseSplit.Run(new float[3], new float[4], new float[3], TensorPrimitives.Add));
        Assert.Contains("3, 4 and 3", e.Message);
    }
}
