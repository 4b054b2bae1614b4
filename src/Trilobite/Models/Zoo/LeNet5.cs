using Trilobite.Layers;

namespace Trilobite.Zoo;

/// <summary>
/// LeNet-5 as LeCun et al. (1998) published it: on 32×32×1 input, 6 and 16 'valid' 5×5 convolutions,
/// each followed by 2×2 subsampling (average pooling), then fully connected layers of 120, 84 and 10 units;
/// tanh throughout, softmax output (the paper's RBF output layer is replaced by softmax, as usual today).
/// 61,706 parameters. Given a 28×28 input (MNIST), the model first pads it by 2 to 32×32, as the paper did.
/// <code>var model = LeNet5.Build();               // 32×32×1 → 10
/// var mnist = LeNet5.Build([28, 28, 1]);      // ZeroPadding2D(2) first</code>
/// </summary>
public static class LeNet5
{
    /// <summary>The network on <paramref name="inputShape"/> (default 32×32×1; a 28×28 input is zero-padded by 2 first) with <paramref name="classes"/> softmax outputs, built.</summary>
    public static Sequential Build(int[]? inputShape = null, int classes = 10)
    {
        int[] shape = inputShape ?? [32, 32, 1];
        var layers = new List<Layer>();
        if (shape is [28, 28, _]) layers.Add(new ZeroPadding2D(2));
        layers.AddRange(
        [
            new Conv2D(6, kernelSize: 5, activation: Activation.Tanh),      // C1: (28, 28, 6)
            new AveragePooling2D(poolSize: 2),                               // S2: (14, 14, 6)
            new Conv2D(16, kernelSize: 5, activation: Activation.Tanh),     // C3: (10, 10, 16)
            new AveragePooling2D(poolSize: 2),                               // S4: (5, 5, 16)
            new Flatten(),
            new Dense(120, activation: Activation.Tanh),                     // C5
            new Dense(84, activation: Activation.Tanh),                      // F6
            new Dense(classes, activation: Activation.Softmax),
        ]);
        return ZooSequential.Build(layers, shape);
    }
}
