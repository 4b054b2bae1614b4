using Trilobite.Layers;

namespace Trilobite.Zoo;

/// <summary>
/// The lecture's VGGNet-inspired network for the 17 Oxford Flowers classes (Krohn, Beyleveld and Bassens,
/// <i>Deep Learning Illustrated</i>, ch. 10, notebook <c>vggnet_in_keras.ipynb</c>), layer for layer:
/// five blocks of 'valid' 3×3 ReLU convolutions (2, 2, 3, 3, 3 of them; 64, 128, 256, 512, 512 filters), each
/// block ending in 2×2 max-pooling and BatchNormalization; two ReLU dense layers of 4096 with Dropout 0.5.
/// Keras prints 33,672,785 parameters (33,669,841 trainable, 2,944 non-trainable) for 224×224×3 and 17 classes.
/// </summary>
public static class VggInspired
{
    public static Sequential Build(int classes = 17, int[]? inputShape = null)
    {
        var layers = new List<Layer>();
        foreach (var (convs, filters) in new[] { (2, 64), (2, 128), (3, 256), (3, 512), (3, 512) })
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
