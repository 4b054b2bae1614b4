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

    [Fact]
    public void IncompatibleShapesNameBoth()
    {
        var ex = Assert.Throws<ArgumentException>(() => BroadcastKernels.ResultShape([2, 3], [4]));
        Assert.Contains("(2, 3)", ex.Message);
        Assert.Contains("(4)", ex.Message);
    }
}
