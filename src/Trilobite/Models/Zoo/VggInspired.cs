using Trilobite.Layers;

namespace Trilobite.Zoo;

/// <summary>
/// The lecture's VGGNet-inspired network for the 17 Oxford Flowers classes (Krohn, Beyleveld and Bassens, <i>Deep Learning
/// Illustrated</i>, ch. 10), layer for layer as the lecture's slide writes it (<see cref="Build"/>): four blocks of 'valid'
/// 3×3 ReLU convolutions (2, 2, 3 and 3 of them; 64, 128, 256, 512 filters), each block ending in 2×2 max-pooling and
/// BatchNormalization; Flatten; two ReLU dense layers of 4096 with Dropout 0.5; a 17-way softmax. For 224×224×3 that is
/// 158,711,889 parameters (158,709,969 trainable, 1,920 non-trainable).
/// <see cref="BuildNotebook"/> is the book's notebook (<c>vggnet_in_keras.ipynb</c>), which adds a fifth block of three
/// 512-filter convolutions: 33,672,785 parameters, as Keras prints for it.
/// </summary>
public static class VggInspired
{
    /// <summary>The lecture's slide: four blocks.</summary>
    public static Sequential Build(int classes = 17, int[]? inputShape = null) =>
        Network([(2, 64), (2, 128), (3, 256), (3, 512)], classes, inputShape);

    /// <summary>The book's notebook: the slide's four blocks and a fifth of three 512-filter convolutions.</summary>
    public static Sequential BuildNotebook(int classes = 17, int[]? inputShape = null) =>
        Network([(2, 64), (2, 128), (3, 256), (3, 512), (3, 512)], classes, inputShape);

    private static Sequential Network((int Convs, int Filters)[] blocks, int classes, int[]? inputShape)
    {
        var layers = new List<Layer>();
        foreach (var (convs, filters) in blocks)
        {
            for (int i = 0; i < convs; i++) layers.Add(new Conv2D(filters, kernelSize: 3, activation: Activation.ReLU));
            layers.Add(new MaxPooling2D(poolSize: 2, strides: 2));
            layers.Add(new BatchNormalization());
        }
        layers.AddRange(
        [
            new Flatten(),
            new Dense(4096, activation: Activation.ReLU),
            new Dropout(0.5),
            new Dense(4096, activation: Activation.ReLU),
            new Dropout(0.5),
            new Dense(classes, activation: Activation.Softmax),
        ]);
        return ZooSequential.Build(layers, inputShape ?? [224, 224, 3]);
    }
}
