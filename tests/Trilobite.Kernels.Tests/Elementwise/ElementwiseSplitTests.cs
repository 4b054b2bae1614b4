using System.Numerics.Tensors;

namespace Trilobite.Kernels.Tests.Elementwise;

/// <summary>The elementwise driver splits large passes over the pool; the result must not depend on the split.</summary>
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
        Assert.True(ElementwiseSplit.WorthSplitting(Length) || KernelThreads.Count == 1);
        int saved = KernelThreads.Count;
        try
        {
            KernelThreads.Count = 2;
            Assert.True(ElementwiseSplit.WorthSplitting(Length));
            var sum = new float[Length];
            ElementwiseDriver.Binary(new AddOperator(), a, b, sum);
            Assert.Equal(expectedSum, sum);
            var accumulated = (float[])b.Clone();
            ElementwiseDriver.Binary(new AddOperator(), accumulated, a, accumulated);   // y = y + a in place
            Assert.Equal(expectedSum, accumulated);
            var relu = new float[Length];
            ElementwiseDriver.Forward(new ReluOperator(), a, relu);
            Assert.Equal(expectedRelu, relu);
            var gradient = new float[Length];
            ElementwiseDriver.Backward(new ReluOperator(), a, expectedRelu, b, gradient);
            for (int i = 0; i < Length; i++) Assert.Equal(a[i] > 0 ? b[i] : 0, gradient[i]);
        }
        finally { KernelThreads.Count = saved; }
    }

    [Fact]
    public void OperandsOfDifferentLengthsAreRefused()
    {
        var e = Assert.Throws<ArgumentException>(() => ElementwiseDriver.Binary(new AddOperator(), new float[3], new float[4], new float[3]));
        Assert.Contains("Add: elementwise operands differ in length: 4 and 3", e.Message);
    }
}
