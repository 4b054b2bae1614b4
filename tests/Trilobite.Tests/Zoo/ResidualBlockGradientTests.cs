using Trilobite.Layers;
using Trilobite.Zoo;

namespace Trilobite.Tests.Zoo;

/// <summary>
/// Finite-difference checks through residual blocks: Conv2D → BatchNormalization → Add, with a projection shortcut; in
/// float on the Cpu device and in double (tight tolerances) on the Reference device.
/// </summary>
public class ResidualBlockGradientTests
{
    [Theory]
    [MemberData(nameof(DefaultDevice.Both), MemberType = typeof(DefaultDevice))]
    public void GradientFlowsThroughConvBatchNormAndAdd(string device)
    {
        using var _ = DefaultDevice.Use(device);
        // x: (2, 5, 5, 3). Main path: 3×3/2 conv (4) → BN → tanh → 3×3 conv → BN; shortcut: 1×1/2 conv (4) → BN; Add.
        // tanh instead of ReLU keeps the function smooth for central differences.
        var input = Input.Of([5, 5, 3]);
        var y = new Conv2D(4, 3, strides: 2, padding: Padding.Same).Call(input);
        y = new BatchNormalization().Call(y);
        y = new ActivationLayer(Activation.Tanh).Call(y);
        var conv2 = new Conv2D(4, 3, padding: Padding.Same);
        y = new BatchNormalization().Call(conv2.Call(y));
        var projection = new Conv2D(4, 1, strides: 2);
        var shortcut = new BatchNormalization().Call(projection.Call(input));
        var model = new Model(input, new Add().Call(shortcut, y));
        var gamma = model.Layers.OfType<BatchNormalization>().First().Weights[0].Value;

        var x = GradCheck.AwayFromZero([2, 5, 5, 3], seed: 3);
        DefaultDevice.GradientCheck(t => model.Forward(t[0], training: true),
            [x, conv2.Kernel.Value, projection.Kernel.Value, gamma]);
    }

    [Theory]
    [MemberData(nameof(DefaultDevice.Both), MemberType = typeof(DefaultDevice))]
    public void GradientFlowsThroughTheIdentityShortcut(string device)
    {
        using var _ = DefaultDevice.Use(device);
        // The zoo's own basic block (ReLU included) with an identity shortcut, inference-mode BN.
        var input = Input.Of([4, 4, 2]);
        var output = ResNet.BasicBlock(input, 2, stride: 1, projection: false, useBias: true, "b");
        var model = new Model(input, output);
        var kernel = model.Layers.OfType<Conv2D>().First().Kernel.Value;
        var x = GradCheck.AwayFromZero([2, 4, 4, 2], seed: 5, minMagnitude: 0.5f);
        DefaultDevice.GradientCheck(t => model.Forward(t[0], training: false), [x, kernel], epsilon: 1e-3f, absoluteTolerance: 2e-2, samples: 20);
    }
}
