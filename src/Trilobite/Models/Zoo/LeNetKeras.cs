using Trilobite.Layers;

namespace Trilobite.Zoo;

/// <summary>
/// The lecture's LeNet-inspired MNIST CNN (Krohn et al., ch. 10): two 3×3 ReLU convolutions (32, 64),
/// 2×2 max-pooling, dropout 0.25, flatten, dense 128 ReLU, dropout 0.5, dense softmax.
/// 1,199,882 parameters for 28×28×1 input and 10 classes.
/// </summary>
public static class LeNetKeras
{
    /// <summary>The network on <paramref name="inputShape"/> (default 28×28×1) with <paramref name="classes"/> softmax outputs, built.</summary>
    public static Sequential Build(int[]? inputShape = null, int classes = 10) => new(
        new Conv2D(32, kernelSize: 3, activation: Activation.ReLU, inputShape: inputShape ?? [28, 28, 1]),
        new Conv2D(64, kernelSize: 3, activation: Activation.ReLU),
        new MaxPooling2D(poolSize: 2),
        new Dropout(0.25),
        new Flatten(),
        new Dense(128, activation: Activation.ReLU),
        new Dropout(0.5),
        new Dense(classes, activation: Activation.Softmax));
}
