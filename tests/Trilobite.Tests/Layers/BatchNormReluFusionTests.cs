using Trilobite.Autograd.Ops;
using Trilobite.Layers;

namespace Trilobite.Tests.Layers;

/// <summary>
/// A BatchNormalization whose output goes only to a ReLU runs as one fused op: its gradients by finite differences in
/// double, and a model's fused forward and backward bit for bit those of the two layers run one after the other.
/// </summary>
public class BatchNormReluFusionTests
{
    private static Tensor U(int seed, float low, float high, params int[] shape) => Tensor.Uniform(shape, low, high, seed, Device.Reference);

    [Fact]
    public void TheFusedOpsGradientsMatchFiniteDifferences()
    {
        GradCheck.CheckInDouble(t => BatchNormOp.Apply(t[0], t[1], t[2], Tensor.Zeros([3], Device.Reference), Tensor.Ones([3], Device.Reference),
            training: true, 0.99f, 1e-3f, out _, out _, relu: true), [U(1, -2, 2, 4, 3, 2, 3), U(2, 0.5f, 1.5f, 3), U(3, -0.3f, 0.3f, 3)]);
        GradCheck.CheckInDouble(t => BatchNormOp.Apply(t[0], t[1], t[2], U(4, -0.5f, 0.5f, 3), U(5, 0.5f, 2f, 3),
            training: false, 0.99f, 1e-3f, out _, out _, relu: true), [U(6, -2, 2, 5, 3), U(7, 0.5f, 1.5f, 3), U(8, -0.3f, 0.3f, 3)]);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void AFusedModelEqualsItsLayersRunInTurn(bool training)
    {
        var input = Input.Of([6, 6, 16]);
        var norm = new BatchNormalization(momentum: 0.9);
        var relu = new ActivationLayer(Activation.ReLU);
        var model = new Model(input, relu.Call(norm.Call(input)));
        norm.SetWeights([[.. Enumerable.Range(0, 16).Select(i => 0.5f + i / 16f)], [.. Enumerable.Range(0, 16).Select(i => i / 32f - 0.25f)],
            [.. Enumerable.Range(0, 16).Select(i => i / 64f)], [.. Enumerable.Range(0, 16).Select(i => 1 + i / 8f)]]);
        var start = norm.GetWeights();
        var x = Tensor.Uniform([4, 6, 6, 16], -2, 2, 9);
        var seed = Tensor.Uniform([4, 6, 6, 16], -1, 1, 10);

        var (fused, fusedInputGradient, fusedGradients) = Run(() => model.Forward(x, training), x, seed, norm);
        var fusedMoving = norm.GetWeights()[2..];
        norm.SetWeights(start);
        var (apart, apartInputGradient, apartGradients) = Run(() => relu.Call(norm.Call(x, training)), x, seed, norm);

        Assert.Equal(apart, fused);
        Assert.Equal(apartInputGradient, fusedInputGradient);
        Assert.Equal(apartGradients, fusedGradients);
        Assert.Equal(norm.GetWeights()[2..], fusedMoving);
        Assert.Contains(fused, v => v == 0);
    }

    [Fact]
    public void OnlyABatchNormalizationFeedingAReluAloneIsFused()
    {
        var input = Input.Of([4, 4, 8]);
        var normalized = new BatchNormalization().Call(input);
        var alone = new Model(input, new ActivationLayer(Activation.ReLU).Call(normalized));
        var residual = new Model(input, new Add().Call(new ActivationLayer(Activation.ReLU).Call(normalized), normalized));
        var tanh = new Model(input, new ActivationLayer(Activation.Tanh).Call(new BatchNormalization().Call(input)));
        var x = Tensor.Uniform([2, 4, 4, 8], -1, 1, 11);
        x.RequiresGrad = true;
        Assert.Equal("BatchNorm+ReLU", alone.Forward(x, training: true).Creator!.Name);
        Assert.Equal("Add", residual.Forward(x, training: true).Creator!.Name);
        Assert.NotEqual("BatchNorm+ReLU", tanh.Forward(x, training: true).Creator!.Name);
        var intermediate = new Model(input, normalized);   // the normalised tensor is this model's output: nothing to fuse
        Assert.Equal("BatchNorm", intermediate.Forward(x, training: true).Creator!.Name);
    }

    private static (float[] Output, float[] InputGradient, float[][] Gradients) Run(Func<Tensor> forward, Tensor x, Tensor seed, Layer norm)
    {
        foreach (var w in norm.Weights) w.Value.Grad = null;
        x.RequiresGrad = true;
        x.Grad = null;
        var y = forward();
        y.Backward(seed);
        return (y.ToArray(), x.Grad!.ToArray(), [.. norm.Weights.Where(w => w.Trainable).Select(w => w.Value.Grad!.ToArray())]);
    }
}
