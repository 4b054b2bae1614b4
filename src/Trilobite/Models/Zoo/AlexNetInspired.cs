using Trilobite.Layers;

namespace Trilobite.Zoo;

/// <summary>
/// The lecture's AlexNet-inspired network for the 17 Oxford Flowers classes (Krohn, Beyleveld and Bassens,
/// <i>Deep Learning Illustrated</i>, ch. 10, notebook <c>alexnet_in_keras.ipynb</c>), layer for layer:
/// Keras's default 'valid' padding, BatchNormalization after each pooling, tanh dense layers, Dropout 0.5.
/// Keras prints 21,883,153 parameters (21,881,681 trainable, 1,472 non-trainable) for 224×224×3 and 17 classes.
/// </summary>
public static class AlexNetInspired
{
    /// <summary>The network for <paramref name="classes"/> softmax outputs on <paramref name="inputShape"/> (default 224×224×3), built.</summary>
    public static Sequential Build(int classes = 17, int[]? inputShape = null) => ZooSequential.Build(
    [
        new Conv2D(96, (11, 11), strides: (4, 4), activation: Activation.ReLU),   // (54, 54, 96)
        new MaxPooling2D(poolSize: 3, strides: 2),
        new BatchNormalization(),

        new Conv2D(256, kernelSize: 5, activation: Activation.ReLU),
        new MaxPooling2D(poolSize: 3, strides: 2),
        new BatchNormalization(),

        new Conv2D(256, kernelSize: 3, activation: Activation.ReLU),
        new Conv2D(384, kernelSize: 3, activation: Activation.ReLU),
        new Conv2D(384, kernelSize: 3, activation: Activation.ReLU),
        new MaxPooling2D(poolSize: 3, strides: 2),
        new BatchNormalization(),

        new Flatten(),
        new Dense(4096, activation: Activation.Tanh),
        new Dropout(0.5),
        new Dense(4096, activation: Activation.Tanh),
        new Dropout(0.5),

        new Dense(classes, activation: Activation.Softmax),
    ], inputShape ?? [224, 224, 3]);
}
