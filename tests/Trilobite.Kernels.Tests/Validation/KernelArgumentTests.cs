namespace Trilobite.Kernels.Tests.Validation;

/// <summary>
/// Kernels that take pointers or size stack buffers check their arguments first: a short span or a hostile geometry
/// (from a layer config) is an exception naming the kernel and the operand, never a write past an array or a stack overflow.
/// </summary>
public class KernelArgumentTests
{
    private static readonly Conv2DGeometry Conv = Conv2DGeometry.Create(2, 5, 5, 3, 3, 3, 4, 1, 1, same: false);

    [Fact]
    public void ConvolutionKernelsRefuseOperandsOfTheWrongSize()
    {
        float[] x = new float[Conv.InputLength], w = new float[Conv.WeightLength], y = new float[Conv.OutputLength];
        var ex = Assert.Throws<ArgumentException>(() => Conv2DKernels.Forward(Conv, x.AsSpan(1), w, default, y));
        Assert.Equal($"Forward: the input has {x.Length - 1} values, but the geometry needs {x.Length}.", ex.Message);
        Assert.Contains("the output", Assert.Throws<ArgumentException>(() => Conv2DKernels.Forward(Conv, x, w, default, y.AsSpan(2))).Message);
        Assert.Contains("the bias", Assert.Throws<ArgumentException>(() => Conv2DKernels.Forward(Conv, x, w, new float[3], y)).Message);
        Assert.Contains("the weights", Assert.Throws<ArgumentException>(() => Conv2DKernels.BackwardData(Conv, y, w.AsSpan(1), x)).Message);
        Assert.Contains("BackwardWeights", Assert.Throws<ArgumentException>(() => Conv2DKernels.BackwardWeights(Conv, x, y, new float[5], default)).Message);
        Assert.Contains("SumRows", Assert.Throws<ArgumentException>(() => Conv2DKernels.SumRows(new float[10], 0, new float[0])).Message);
        Assert.Contains("Unfold", Assert.Throws<ArgumentException>(() => Im2Col.Unfold(Conv, x, 0, 18, new float[10])).Message);
    }

    [Fact]
    public void CapsuleKernelsRefuseOperandsOfTheWrongSize()
    {
        float[] a = new float[24], b = new float[24], c = new float[24];
        Assert.Contains("past the span", Assert.Throws<ArgumentException>(() => BatchedGemm.Sgemm(false, false, 2, 2, 2, 1, a, 2, 30, b, 2, 4, 0, c, 2, 4, 2)).Message);
        Assert.Contains("overlap", Assert.Throws<ArgumentException>(() => BatchedGemm.Sgemm(false, false, 2, 2, 2, 1, a, 2, 4, b, 2, 4, 0, c, 2, 1, 3)).Message);
        Assert.Throws<ArgumentOutOfRangeException>(() => BatchedGemm.Sgemm(false, false, 2, 2, 2, 1, a, 2, -4, b, 2, 4, 0, c, 2, 4, 2));
        Assert.Contains("Squash: the input", Assert.Throws<ArgumentException>(() => VectorNormKernels.Squash(a, 2, 8, 2, c)).Message);
        Assert.Contains("the output", Assert.Throws<ArgumentException>(() => VectorNormKernels.Norm(a, 3, 8, 1, c)).Message);
        Assert.Contains("the output gradient", Assert.Throws<ArgumentException>(() => VectorNormKernels.SquashBackward(a, b.AsSpan(1), 3, 8, 1, c)).Message);
        Assert.Contains("SoftmaxAxis", Assert.Throws<ArgumentException>(() => SoftmaxKernels.SoftmaxAxis(a, 2, 3, 5, c)).Message);
        Assert.Throws<ArgumentOutOfRangeException>(() => SoftmaxKernels.SoftmaxAxis(a, 24, 1, 0, c));
        Assert.Contains("ArgMax", Assert.Throws<ArgumentException>(() => ReduceKernels.ArgMax(a, 2, 12, 1, c)).Message);
        Assert.Throws<ArgumentOutOfRangeException>(() => ReduceKernels.ArgMax(a, 24, 0, 1, c));
    }

    [Fact]
    public void GeometriesTooLargeForAnArrayAreRefused()
    {
        var ex = Assert.Throws<ArgumentException>(() => Conv2DGeometry.Create(1024, 1024, 1024, 64, 3, 3, 64, 1, 1, same: true));
        Assert.Contains("too large for one array", ex.Message);
        Assert.Throws<ArgumentException>(() => Conv2DGeometry.Create(1, 8, 8, 1, int.MaxValue, 3, 1, 1, 1, same: true, dilationHeight: 4));
        Assert.Throws<ArgumentException>(() => Conv2DGeometry.Create(-1, 8, 8, 1, 3, 3, 1, 1, 1, same: false));
        var (outH, _) = Conv2DGeometry.Axis(10, int.MaxValue / 2, 1, 3, same: false);   // no overflow: the window does not fit
        Assert.Equal(0, outH);
        // A pooling window has no weights: 100×100 over 1024 channels is fine although KH·KW·C·C is not an int.
        var pool = Conv2DGeometry.Create(1, 100, 100, 1024, 100, 100, 1024, 1, 1, same: false);
        Assert.Equal(1024, pool.OutputLength);
    }

    [Fact]
    public void PoolingChecksItsOperandsAndHugeWindowsDoNotOverflowTheStack()
    {
        var g = Conv2DGeometry.Create(1, 100, 100, 2, 100, 100, 2, 1, 1, same: false);   // a 10,000-pixel window from a config
        float[] x = Enumerable.Range(0, g.InputLength).Select(i => (float)(i % 7)).ToArray(), y = new float[g.OutputLength];
        PoolKernels.AverageForward(g, x, y);
        Assert.Equal(x.Where((_, i) => i % 2 == 0).Average(), y[0], 4);
        PoolKernels.AverageBackward(g, y, new float[x.Length]);
        Assert.Contains("MaxForward", Assert.Throws<ArgumentException>(() => PoolKernels.MaxForward(g, x, y, new int[1])).Message);
        Assert.Contains("keeps the channels", Assert.Throws<ArgumentException>(() => PoolKernels.AverageForward(Conv, new float[Conv.InputLength], new float[Conv.OutputLength])).Message);
        Assert.Throws<ArgumentException>(() => PoolKernels.GlobalAverageForward(2, 3, 4, new float[24], new float[7]));
    }

    [Fact]
    public void UpsamplingChecksItsGeometryAndOperands()
    {
        var g = UpSampling2DGeometry.Create(2, 3, 4, 5, 2, 3);
        Assert.Equal((6, 12, 720), (g.OutHeight, g.OutWidth, g.OutputLength));
        Assert.Contains("UpsampleNearest", Assert.Throws<ArgumentException>(() => ResizeKernels.UpsampleNearest(g, new float[g.InputLength], new float[10])).Message);
        Assert.Throws<ArgumentException>(() => ResizeKernels.UpsampleNearestBackward(g, new float[g.OutputLength], new float[3]));
        Assert.Contains("Forward", Assert.Throws<ArgumentException>(() => BilinearKernels.Forward(g, new float[g.InputLength], new float[10])).Message);
        Assert.Throws<ArgumentException>(() => BilinearKernels.Backward(g, new float[10], new float[g.InputLength]));
        Assert.Contains("too large", Assert.Throws<ArgumentException>(() => UpSampling2DGeometry.Create(1, 50_000, 50_000, 1, 2, 2)).Message);
        Assert.Throws<ArgumentException>(() => UpSampling2DGeometry.Create(1, 3, 3, 1, 0, 2));
    }

    [Fact]
    public void NormalizationKernelsCheckWidthsAndChannels()
    {
        Assert.Contains("rows of width 0", Assert.Throws<ArgumentException>(() => SoftmaxKernels.Softmax(new float[4], 0, new float[4])).Message);
        Assert.Throws<ArgumentException>(() => SoftmaxKernels.LogSoftmax(new float[6], 4, new float[6]));
        Assert.Throws<ArgumentException>(() => SoftmaxKernels.SoftmaxBackward(new float[6], new float[6], 3, new float[5]));
        float[] x = new float[12], c3 = new float[3];
        var ex = Assert.Throws<ArgumentException>(() => BatchNormKernels.ForwardTraining(x, 3, c3, new float[2], 1e-3f, 0.99f, c3, c3, new float[12], c3, c3));
        Assert.Contains("ForwardTraining", ex.Message);
        Assert.Throws<ArgumentException>(() => BatchNormKernels.ForwardInference(x, 5, c3, c3, 1e-3f, c3, c3, new float[12]));
        Assert.Throws<ArgumentException>(() => BatchNormKernels.Backward(x, new float[11], 3, c3, c3, c3, new float[12], c3, c3));
        Assert.Throws<ArgumentException>(() => LossKernels.SoftmaxCrossEntropy(new float[6], new float[6], 0, default));
        Assert.Throws<ArgumentException>(() => LossKernels.MeanSquaredError(new float[6], new float[5], default));
    }

    [Fact]
    public void ElementwiseAndOptimizerKernelsCheckLengths()
    {
        Assert.Throws<ArgumentException>(() => new LeakyReluOperator(0.2f).Forward(new float[9], new float[8]));
        Assert.Throws<ArgumentException>(() => new GeluOperator().Backward(new float[9], new float[9], new float[9], new float[8]));
        Assert.Throws<ArgumentException>(() => new ReluOperator().Backward(new float[9], new float[8], new float[9], new float[9]));
        Assert.Contains("ReLU", Assert.Throws<ArgumentException>(() => ElementwiseDriver.Forward(new ReluOperator(), new float[3], new float[4])).Message);
        Assert.Throws<ArgumentException>(() => BroadcastKernels.Binary(new AddOperator(), new float[6], [2, 3], new float[3], [3], new float[5], [2, 3]));
        Assert.Throws<ArgumentException>(() => OptimizerKernels.Adam(new float[4], new float[4], new float[3], new float[4], new AdamParameters(1, 0.9f, 0.99f, 1e-7f, 1)));
        Assert.Throws<ArgumentException>(() => MetricKernels.CountCorrect(new float[6], new float[5], 2, 3, AccuracyKind.Categorical));
        Assert.Throws<ArgumentOutOfRangeException>(() => DropoutKernels.FillMask(1, 1f, new float[4]));
        var copy = new BlockCopy(2, 2, 3, 0, 10, 3, 0, 10, 3);
        Assert.Throws<ArgumentException>(() => BlockCopy.Run(copy, new float[12], new float[20], false));
    }
}
