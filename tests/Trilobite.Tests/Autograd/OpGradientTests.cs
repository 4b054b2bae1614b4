using Trilobite.Autograd.Ops;

namespace Trilobite.Tests.Autograd;

/// <summary>
/// A finite-difference gradient check for every differentiable op, run twice: in float on the Cpu backend
/// (<see cref="CpuOpGradientTests"/>, loose tolerances) and in double on the Reference backend
/// (<see cref="ReferenceOpGradientTests"/>, ε = 10⁻⁶ and 10⁻⁸ + 10⁻⁶·|g|). Every tensor a test makes lands on the
/// device under test (its default device while the test runs).
/// </summary>
public abstract class OpGradientTests
{
    /// <summary>The check for this device; the float tolerances only apply to the float check.</summary>
    protected abstract void Check(Func<Tensor[], Tensor> f, Tensor[] inputs, float epsilon = 1e-2f, double absoluteTolerance = 1e-2, int samples = 40);

    private static Tensor U(int seed, params int[] shape) => Tensor.Uniform(shape, -1f, 1f, seed);

    [Theory]
    [InlineData(1, 1, 1)]
    [InlineData(3, 5, 7)]
    [InlineData(13, 17, 11)]
    public void MatMul(int m, int k, int n) => Check(t => t[0].MatMul(t[1]), [U(1, m, k), U(2, k, n)]);

    [Fact] public void AddBroadcastBias() => Check(t => t[0] + t[1], [U(1, 4, 3, 5), U(2, 5)]);
    [Fact] public void SubtractBroadcastMiddle() => Check(t => t[0] - t[1], [U(1, 4, 3, 5), U(2, 4, 1, 5)]);
    [Fact] public void MultiplyBroadcast() => Check(t => t[0] * t[1], [U(1, 2, 3, 4), U(2, 3, 1)]);
    [Fact] public void DivideBroadcast() => Check(t => t[0] / t[1], [U(1, 3, 4), Tensor.Uniform([4], 0.5f, 2f, 3)]);
    [Fact] public void Relu() => Check(t => t[0].Relu(), [GradCheck.AwayFromZero([5, 7], 4)]);
    [Fact] public void Sigmoid() => Check(t => t[0].Sigmoid(), [U(5, 6, 5)]);
    [Fact] public void Tanh() => Check(t => t[0].Tanh(), [U(6, 6, 5)]);
    [Fact] public void LeakyRelu() => Check(t => t[0].LeakyRelu(0.3f), [GradCheck.AwayFromZero([5, 7], 7)]);
    [Fact] public void Elu() => Check(t => t[0].Elu(), [GradCheck.AwayFromZero([5, 7], 8)]);
    [Fact] public void Gelu() => Check(t => t[0].Gelu(), [U(9, 5, 7)]);
    [Fact] public void Exp() => Check(t => t[0].Exp(), [U(10, 4, 4)]);
    [Fact] public void Log() => Check(t => t[0].Log(), [Tensor.Uniform([4, 4], 0.5f, 2f, 11)]);
    [Fact] public void Softplus() => Check(t => t[0].Softplus(), [Tensor.Uniform([4, 5], -3f, 3f, 53)]);
    [Fact] public void Clip() => Check(t => t[0].Clip(-0.5f, 0.5f), [Tensor.FromArray([-0.9f, -0.3f, 0.1f, 0.45f, 0.7f, -0.7f, 0.2f, 0.9f], 2, 4)]);
    [Fact] public void Abs() => Check(t => t[0].Abs(), [GradCheck.AwayFromZero([4, 5], 54)]);
    [Fact] public void Softmax() => Check(t => t[0].Softmax(), [U(12, 3, 7)]);
    [Fact] public void LogSoftmax() => Check(t => t[0].LogSoftmax(), [U(13, 3, 7)]);
    [Fact] public void SoftmaxOverMiddleAxis() => Check(t => t[0].Softmax(1), [U(56, 2, 5, 6)]);
    [Fact] public void Squash() => Check(t => t[0].Squash(), [U(57, 6, 8)]);
    [Fact] public void SquashOverMiddleAxis() => Check(t => t[0].Squash(1), [U(58, 2, 4, 3)]);
    [Fact] public void SquashOfLongVectors() => Check(t => t[0].Squash(), [Tensor.Uniform([3, 16], 1f, 3f, 59)]);
    [Fact] public void VectorNorm() => Check(t => t[0].VectorNorm(), [U(60, 5, 16)]);
    [Fact] public void VectorNormOverFirstAxis() => Check(t => t[0].VectorNorm(0), [U(61, 4, 3, 2)]);

    [Theory]
    [InlineData(false, false)]
    [InlineData(true, false)]
    [InlineData(false, true)]
    [InlineData(true, true)]
    public void BatchMatMul(bool transA, bool transB) =>
        Check(t => t[0].BatchMatMul(t[1], transA, transB), [transA ? U(62, 3, 4, 2) : U(62, 3, 2, 4), transB ? U(63, 3, 5, 4) : U(63, 3, 4, 5)]);

    [Fact] public void CapsulePredictions() => Check(t => t[0].CapsulePredictions(t[1]), [U(64, 3, 5, 4), U(65, 5, 2, 3, 4)]);
    [Fact] public void SumAxis() => Check(t => t[0].Sum(1), [U(14, 3, 4, 5)]);
    [Fact] public void MeanAxisKeep() => Check(t => t[0].Mean(-1, keepDims: true), [U(15, 3, 4, 5)]);
    [Fact] public void MeanAll() => Check(t => t[0].Mean(), [U(16, 3, 4)]);
    [Fact] public void Reshape() => Check(t => t[0].Reshape(4, -1).Tanh(), [U(17, 2, 3, 4)]);

    [Theory]
    [InlineData(1, 5, 5, 2, 3, 3, 1, 1, Padding.Valid, 1)]
    [InlineData(2, 7, 6, 3, 3, 3, 4, 2, Padding.Same, 1)]
    [InlineData(2, 9, 9, 2, 3, 3, 2, 4, Padding.Same, 1)]
    [InlineData(1, 11, 10, 2, 5, 3, 3, 4, Padding.Valid, 1)]
    [InlineData(1, 8, 8, 2, 3, 3, 2, 1, Padding.Same, 2)]
    [InlineData(2, 6, 6, 3, 1, 1, 4, 1, Padding.Valid, 1)]
    [InlineData(1, 6, 5, 2, 2, 2, 3, 2, Padding.Same, 1)]
    public void Conv2D(int n, int h, int w, int c, int kh, int kw, int oc, int stride, Padding padding, int dilation) =>
        Check(t => t[0].Conv2D(t[1], t[2], (stride, stride), padding, (dilation, dilation)),
            [U(20, n, h, w, c), U(21, kh, kw, c, oc), U(22, oc)]);

    [Fact]
    public void Conv2DWithFusedRelu() =>
        Check(t => t[0].Conv2D(t[1], t[2], (2, 2), Padding.Same, (1, 1), relu: true),
            [GradCheck.AwayFromZero([2, 7, 6, 3], 46), GradCheck.AwayFromZero([3, 3, 3, 4], 47), Tensor.Uniform([4], 0.2f, 0.5f, 48)], epsilon: 1e-3f, absoluteTolerance: 5e-3);

    [Fact]
    public void FusedReluEqualsConvThenRelu()
    {
        Tensor x = U(49, 2, 6, 6, 3), w = U(50, 3, 3, 3, 4), b = U(51, 4);
        Assert.Equal(x.Conv2D(w, b).Relu().ToArray(), x.Conv2D(w, b, (1, 1), Padding.Valid, (1, 1), relu: true).ToArray());
    }

    [Theory]
    [InlineData(2, 2, Padding.Valid)]
    [InlineData(3, 2, Padding.Same)]
    [InlineData(2, 1, Padding.Same)]
    [InlineData(3, 4, Padding.Valid)]
    public void MaxPool(int pool, int stride, Padding padding) =>
        Check(t => t[0].MaxPool2D(pool, stride, padding), [GradCheck.Distinct([2, 9, 7, 3], 23)]);

    [Theory]
    [InlineData(2, 2, Padding.Valid)]
    [InlineData(3, 2, Padding.Same)]
    [InlineData(3, 4, Padding.Same)]
    public void AvgPool(int pool, int stride, Padding padding) =>
        Check(t => t[0].AvgPool2D(pool, stride, padding), [U(24, 2, 9, 7, 3)]);

    [Fact] public void GlobalAvgPool() => Check(t => t[0].GlobalAvgPool2D(), [U(25, 2, 3, 4, 5)]);
    [Fact] public void GlobalMaxPool() => Check(t => t[0].GlobalMaxPool2D(), [GradCheck.Distinct([2, 3, 4, 5], 55)]);
    [Fact] public void RectangularMaxPool() => Check(t => t[0].MaxPool2D((2, 3), (1, 2), Padding.Same), [GradCheck.Distinct([2, 5, 7, 3], 56)]);
    [Fact] public void RectangularAvgPool() => Check(t => t[0].AvgPool2D((3, 2), (2, 1)), [U(57, 2, 7, 5, 3)]);
    [Fact] public void MaxPoolExplicitPads() => Check(t => t[0].MaxPool2D((3, 3), (2, 2), (2, 0, 1, 2)), [GradCheck.Distinct([2, 7, 8, 3], 58)]);
    [Fact] public void AvgPoolExplicitPads() => Check(t => t[0].AvgPool2D((3, 2), (2, 1), (1, 2, 0, 1)), [U(59, 2, 7, 5, 3)]);

    [Fact]
    public void BatchNormTraining() => Check(
        t => BatchNormOp.Apply(t[0], t[1], t[2], Tensor.Zeros(3), Tensor.Ones(3), training: true, 0.99f, 1e-3f),
        [U(26, 4, 3, 2, 3), Tensor.Uniform([3], 0.5f, 1.5f, 27), U(28, 3)], samples: 30);

    [Fact]
    public void BatchNormInference() => Check(
        t => BatchNormOp.Apply(t[0], t[1], t[2], Tensor.Uniform([3], -0.5f, 0.5f, 29), Tensor.Uniform([3], 0.5f, 2f, 30), training: false, 0.99f, 1e-3f),
        [U(31, 4, 3), Tensor.Uniform([3], 0.5f, 1.5f, 32), U(33, 3)]);

    [Fact]
    public void Dropout() => Check(t => t[0].Dropout(0.4f, new Random(5)), [U(34, 6, 7)]);

    [Fact] public void Concat() => Check(t => Tensor.Concat(t[0], t[1]), [U(35, 2, 3, 2), U(36, 2, 3, 4)]);
    [Fact] public void Columns() => Check(t => t[0].Columns(1, 2) * t[0].Columns(3, 1), [U(56, 2, 3, 5)]);
    [Fact] public void ZeroPad() => Check(t => t[0].ZeroPad2D(1, 2, 0, 3), [U(37, 2, 3, 4, 2)]);
    [Fact] public void Crop() => Check(t => t[0].Crop2D(1, 0, 2, 1), [U(38, 2, 4, 5, 2)]);
    [Fact] public void ConvTranspose() => Check(t => t[0].ConvTranspose2D(t[1], (2, 1), (1, 2)), [U(39, 2, 3, 3, 2), U(40, 3, 2, 4, 2)]);
    [Fact] public void UpSample() => Check(t => t[0].UpSample2D(2, 3), [U(52, 2, 3, 2, 3)]);
    [Fact] public void DiceLoss() => Check(t => Loss.Dice.Compute(t[0].Sigmoid(), Tensor.FromArray([1f, 0, 1, 1, 0, 0, 1, 0], [2, 2, 2, 1], t[0].Device)), [U(54, 2, 2, 2, 1)]);
    [Fact] public void DicePerClass() => Check(t => new Losses.Dice { PerClass = true }.Compute(t[0].Softmax(), Tensor.FromArray([1f, 0, 0, 1, 1, 0, 0, 1], [1, 2, 2, 2], t[0].Device)), [U(55, 1, 2, 2, 2)]);
    [Fact] public void ResizeNearest() => Check(t => t[0].ResizeNearest(5, 7), [U(57, 2, 3, 4, 2)]);
    [Fact] public void UpSampleBilinear() => Check(t => t[0].UpSample2DBilinear(3, 2), [U(53, 2, 3, 4, 2)]);

    [Fact]
    public void SoftmaxCrossEntropy()
    {
        var targets = Tensor.Zeros(4, 5);
        for (int r = 0; r < 4; r++) targets[r, (r * 3) % 5] = 1;
        Check(t => LossOp.SoftmaxCrossEntropy(t[0], targets), [U(38, 4, 5)], epsilon: 1e-3f, absoluteTolerance: 2e-3);
    }

    [Fact]
    public void SparseSoftmaxCrossEntropy() =>
        Check(t => LossOp.SparseSoftmaxCrossEntropy(t[0], Tensor.FromArray([0, 4, 2, 1], 4)), [U(39, 4, 5)], epsilon: 1e-3f, absoluteTolerance: 2e-3);

    [Fact]
    public void SigmoidBinaryCrossEntropy() =>
        Check(t => LossOp.SigmoidBinaryCrossEntropy(t[0], Tensor.Uniform([3, 4], 0f, 1f, 40)), [U(41, 3, 4)], epsilon: 1e-3f, absoluteTolerance: 2e-3);

    [Fact]
    public void MeanSquaredError() =>
        Check(t => LossOp.MeanSquaredError(t[0], Tensor.Uniform([3, 4], 0f, 1f, 42)), [U(43, 3, 4)], epsilon: 1e-3f, absoluteTolerance: 2e-3);

    [Fact]
    public void ComposedResidualPath() => Check(
        t => (t[0].Conv2D(t[1], null, padding: Padding.Same).Tanh() + t[0]).Mean(),
        [U(44, 2, 5, 5, 3), U(45, 3, 3, 3, 3)], epsilon: 1e-3f, absoluteTolerance: 2e-3);
}

/// <summary>The gradient checks in float on the Cpu backend.</summary>
public sealed class CpuOpGradientTests : OpGradientTests, IDisposable
{
    private readonly Device _previous = Device.Default;

    public CpuOpGradientTests() => Device.Default = Device.Cpu;

    public void Dispose() => Device.Default = _previous;

    protected override void Check(Func<Tensor[], Tensor> f, Tensor[] inputs, float epsilon = 1e-2f, double absoluteTolerance = 1e-2, int samples = 40) =>
        GradCheck.Check(f, inputs, epsilon, absoluteTolerance, samples: samples);
}

/// <summary>The gradient checks in double on the Reference backend, with tight tolerances.</summary>
public sealed class ReferenceOpGradientTests : OpGradientTests, IDisposable
{
    private readonly Device _previous = Device.Default;

    public ReferenceOpGradientTests() => Device.Default = Device.Reference;

    public void Dispose() => Device.Default = _previous;

    protected override void Check(Func<Tensor[], Tensor> f, Tensor[] inputs, float epsilon = 1e-2f, double absoluteTolerance = 1e-2, int samples = 40) =>
        GradCheck.CheckInDouble(f, inputs, samples: samples);
}
