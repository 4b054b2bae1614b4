namespace Trilobite.Kernels.Tests.Elementwise;

public class BroadcastTests
{
    [Fact]
    public void GeneralBroadcastMatchesNaiveIndexing()
    {
        int[] aShape = [2, 1, 4], bShape = [3, 1];
        int[] yShape = BroadcastKernels.ResultShape(aShape, bShape);
        Assert.Equal([2, 3, 4], yShape);
        float[] a = Enumerable.Range(0, 8).Select(i => (float)i).ToArray();
        float[] b = [100, 200, 300];
        var y = new float[24];
        BroadcastKernels.Binary(new AddOperator(), a, aShape, b, bShape, y, yShape);
        for (int i = 0; i < 2; i++) for (int j = 0; j < 3; j++) for (int k = 0; k < 4; k++)
            Assert.Equal(a[i * 4 + k] + b[j], y[(i * 3 + j) * 4 + k]);
        var back = new float[3];
        BroadcastKernels.SumToShape(y, yShape, back, bShape);
        for (int j = 0; j < 3; j++) Assert.Equal(y.Where((_, idx) => idx / 4 % 3 == j).Sum(), back[j], 3);
    }

    /// <summary>
    /// Every pattern the runs meet: an operand stretched along the innermost run (short and long), in the middle, on
    /// both operands at once, a scalar-like (1, 1) against a matrix, ranks that differ and axes of 1 in the output.
    /// Checked element by element against indexing by hand, forward and for the adjoint into either operand.
    /// </summary>
    [Theory]
    [InlineData(new[] { 16, 30, 10 }, new[] { 16, 30, 1 })]
    [InlineData(new[] { 4, 3, 40 }, new[] { 4, 3, 1 })]
    [InlineData(new[] { 4, 1, 40 }, new[] { 1, 5, 1 })]
    [InlineData(new[] { 3, 1, 2, 1 }, new[] { 1, 4, 1, 20 })]
    [InlineData(new[] { 1, 1 }, new[] { 7, 9 })]
    [InlineData(new[] { 5, 1, 1, 3 }, new[] { 2, 6, 1 })]
    [InlineData(new[] { 1, 17, 1 }, new[] { 2, 17, 33 })]
    public void CollapsedRunsMatchNaiveIndexing(int[] aShape, int[] bShape)
    {
        int[] yShape = BroadcastKernels.ResultShape(aShape, bShape);
        float[] a = Values(aShape, 1), b = Values(bShape, 2);
        var y = new float[yShape.Aggregate(1, (p, d) => p * d)];
        BroadcastKernels.Binary(new SubtractOperator(), a, aShape, b, bShape, y, yShape);
        var aSum = new double[a.Length];
        var bSum = new double[b.Length];
        for (int i = 0; i < y.Length; i++)
        {
            int ai = Source(i, yShape, aShape), bi = Source(i, yShape, bShape);
            Assert.Equal(a[ai] - b[bi], y[i]);
            aSum[ai] += y[i];
            bSum[bi] += y[i];
        }
        float[] aBack = new float[a.Length], bBack = Enumerable.Repeat(1f, b.Length).ToArray();   // the adjoint adds into what is there
        BroadcastKernels.SumToShape(y, yShape, aBack, aShape);
        BroadcastKernels.SumToShape(y, yShape, bBack, bShape);
        for (int i = 0; i < a.Length; i++) Assert.Equal(aSum[i], aBack[i], 1e-3);
        for (int i = 0; i < b.Length; i++) Assert.Equal(1 + bSum[i], bBack[i], 1e-3);
    }

    private static float[] Values(int[] shape, int seed)
    {
        var random = new Random(seed);
        return Enumerable.Range(0, shape.Aggregate(1, (p, d) => p * d)).Select(_ => (float)Math.Round(random.NextDouble() * 8 - 4, 2)).ToArray();
    }

    /// <summary>The index in an operand of <paramref name="shape"/> that output element <paramref name="i"/> reads.</summary>
    private static int Source(int i, int[] yShape, int[] shape)
    {
        int offset = yShape.Length - shape.Length, index = 0, stride = 1;
        for (int d = yShape.Length - 1; d >= 0; d--)
        {
            int coordinate = i % yShape[d];
            i /= yShape[d];
            if (d < offset) continue;
            if (shape[d - offset] != 1) index += coordinate * stride;
            stride *= shape[d - offset];
        }
        return index;
    }

    [Fact]
    public void IncompatibleShapesNameBoth()
    {
        var ex = Assert.Throws<ArgumentException>(() => BroadcastKernels.ResultShape([2, 3], [4]));
        Assert.Contains("(2, 3)", ex.Message);
        Assert.Contains("(4)", ex.Message);
    }
}
