using Trilobite.Initializers;
using Trilobite.Layers;

namespace Trilobite.Zoo;

/// <summary>
/// Residual networks (He et al., 2015) built with the functional API, following keras.applications' ResNet50
/// recipe and layer names: stem conv1_pad (ZeroPadding2D 3) → conv1_conv (7×7/2, 'valid', 64) → conv1_bn (ε 1.001e-5)
/// → ReLU → pool1_pad (ZeroPadding2D 1) → pool1_pool (3×3/2 max); four stages conv2…conv5 of residual blocks, the
/// first block of stages 3–5 halving the size with a strided projection shortcut (1×1 conv + BN) and every other
/// block adding its input back unchanged; then GlobalAveragePooling2D and a softmax Dense.
/// <list type="bullet">
/// <item>depth 50: bottleneck blocks (1×1, 3×3, 1×1 ×4) in stages of 3, 4, 6, 3, convolutions with biases as in
/// Keras: 25,636,712 parameters (25,583,592 trainable) with the top on 224×224×3 and 1000 classes.</item>
/// <item>depth 18 and 34: basic blocks (two 3×3) in stages of 2, 2, 2, 2 and 3, 4, 6, 3. Keras has no builder for
/// these, so they follow the paper and torchvision: convolutions without biases (each is followed by BN), giving
/// 11,689,512 and 21,797,672 trainable parameters, the counts torchvision reports.</item>
/// </list>
/// <code>var net = ResNet.Build(50);   net.Summary();</code>
/// </summary>
public static class ResNet
{
    /// <summary>BatchNormalization's ε in keras.applications' ResNets.</summary>
    public const double Epsilon = 1.001e-5;

    /// <param name="depth">18, 34 or 50.</param>
    /// <param name="includeTop">Global average pooling and the softmax classifier; without, the model ends at conv5's feature map.</param>
    /// <param name="inputShape">Default 224×224×3.</param>
    /// <param name="classes">Units of the softmax layer.</param>
    /// <param name="useBias">Convolution biases; default: true for 50 (Keras), false for 18 and 34 (torchvision).</param>
    public static Model Build(int depth = 50, bool includeTop = true, int[]? inputShape = null, int classes = 1000, bool? useBias = null)
    {
        var (bottleneck, blocks) = depth switch
        {
            18 => (false, new[] { 2, 2, 2, 2 }),
            34 => (false, new[] { 3, 4, 6, 3 }),
            50 => (true, new[] { 3, 4, 6, 3 }),
            _ => throw new ArgumentOutOfRangeException(nameof(depth), $"ResNet depth must be 18, 34 or 50, got {depth}."),
        };
        bool bias = useBias ?? bottleneck;
        var input = Input.Of(inputShape ?? [224, 224, 3], "input_1");
        var x = new ZeroPadding2D(3, name: "conv1_pad").Call(input);
        x = new Conv2D(64, kernelSize: 7, strides: 2, useBias: bias, name: "conv1_conv").Call(x);
        x = new BatchNormalization(epsilon: Epsilon, name: "conv1_bn").Call(x);
        x = new ActivationLayer(Activation.ReLU, name: "conv1_relu").Call(x);
        x = new ZeroPadding2D(1, name: "pool1_pad").Call(x);
        x = new MaxPooling2D(poolSize: 3, strides: 2, name: "pool1_pool").Call(x);
        for (int stage = 0; stage < 4; stage++)
        {
            int filters = 64 << stage;
            for (int b = 0; b < blocks[stage]; b++)
            {
                int stride = b == 0 && stage > 0 ? 2 : 1;
                string name = $"conv{stage + 2}_block{b + 1}";
                x = bottleneck
                    ? BottleneckBlock(x, filters, stride, projection: b == 0, bias, name)
                    : BasicBlock(x, filters, stride, projection: b == 0 && stage > 0, bias, name);
            }
        }
        if (includeTop)
        {
            x = new GlobalAveragePooling2D(name: "avg_pool").Call(x);
            x = new Dense(classes, activation: Activation.Softmax, name: "predictions").Call(x);
        }
        return new Model(input, x, $"resnet{depth}");
    }

    /// <summary>
    /// Keras's <c>block1</c>: 1×1 (stride s) → 3×3 'same' → 1×1 (4·filters), BN after each, ReLU after the first two;
    /// shortcut = x, or a 1×1 (stride s, 4·filters) convolution + BN; then Add and ReLU.
    /// </summary>
    public static SymbolicTensor BottleneckBlock(SymbolicTensor x, int filters, int stride, bool projection, bool useBias, string name,
        double epsilon = Epsilon, Initializer? kernelInitializer = null, double momentum = 0.99)
    {
        var shortcut = projection
            ? ConvBn(x, 4 * filters, 1, stride, useBias, $"{name}_0", epsilon, kernelInitializer, momentum)
            : x;
        var y = ConvBn(x, filters, 1, stride, useBias, $"{name}_1", epsilon, kernelInitializer, momentum);
        y = new ActivationLayer(Activation.ReLU, name: $"{name}_1_relu").Call(y);
        y = ConvBn(y, filters, 3, 1, useBias, $"{name}_2", epsilon, kernelInitializer, momentum);
        y = new ActivationLayer(Activation.ReLU, name: $"{name}_2_relu").Call(y);
        y = ConvBn(y, 4 * filters, 1, 1, useBias, $"{name}_3", epsilon, kernelInitializer, momentum);
        y = new Add(name: $"{name}_add").Call(shortcut, y);
        return new ActivationLayer(Activation.ReLU, name: $"{name}_out").Call(y);
    }

    /// <summary>
    /// The basic block of ResNet-18/34: 3×3 (stride s) → BN → ReLU → 3×3 → BN; shortcut = x, or a 1×1 (stride s)
    /// convolution + BN when the size or the channel count changes; then Add and ReLU.
    /// </summary>
    public static SymbolicTensor BasicBlock(SymbolicTensor x, int filters, int stride, bool projection, bool useBias, string name,
        double epsilon = Epsilon, Initializer? kernelInitializer = null, double momentum = 0.99)
    {
        var shortcut = projection
            ? ConvBn(x, filters, 1, stride, useBias, $"{name}_0", epsilon, kernelInitializer, momentum)
            : x;
        var y = ConvBn(x, filters, 3, stride, useBias, $"{name}_1", epsilon, kernelInitializer, momentum);
        y = new ActivationLayer(Activation.ReLU, name: $"{name}_1_relu").Call(y);
        y = ConvBn(y, filters, 3, 1, useBias, $"{name}_2", epsilon, kernelInitializer, momentum);
        y = new Add(name: $"{name}_add").Call(shortcut, y);
        return new ActivationLayer(Activation.ReLU, name: $"{name}_out").Call(y);
    }

    /// <summary>Conv2D ('same' for 3×3, named NAME_conv) followed by BatchNormalization (NAME_bn).</summary>
    private static SymbolicTensor ConvBn(SymbolicTensor x, int filters, int kernel, int stride, bool useBias, string name,
        double epsilon, Initializer? kernelInitializer, double momentum)
    {
        var y = new Conv2D(filters, kernel, strides: stride, padding: kernel > 1 ? Padding.Same : Padding.Valid, useBias: useBias,
            kernelInitializer: kernelInitializer, name: $"{name}_conv").Call(x);
        return new BatchNormalization(momentum, epsilon, name: $"{name}_bn").Call(y);
    }
}
