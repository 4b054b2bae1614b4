using Trilobite.Layers;

namespace Trilobite.Zoo;

/// <summary>
/// The published VGG configurations (Simonyan and Zisserman, 2014) as keras.applications builds them: blocks of
/// 'same'-padded 3×3 ReLU convolutions with biases, each block closed by 2×2/2 max-pooling; with the top,
/// Flatten, fc1 and fc2 (4096, ReLU) and a softmax 'predictions' layer. Layer names follow Keras
/// (block1_conv1 … fc1, fc2, predictions).
/// </summary>
internal static class Vgg
{
    public static Model Build(string name, int[] convsPerBlock, bool includeTop, int[]? inputShape, int classes)
    {
        int[] shape = inputShape ?? [224, 224, 3];
        int[] filters = [64, 128, 256, 512, 512];
        var input = Input.Of(shape, "input_1");
        var x = input;
        for (int block = 0; block < convsPerBlock.Length; block++)
        {
            for (int i = 0; i < convsPerBlock[block]; i++)
                x = new Conv2D(filters[block], kernelSize: 3, padding: Padding.Same, activation: Activation.ReLU, name: $"block{block + 1}_conv{i + 1}").Call(x);
            x = new MaxPooling2D(poolSize: 2, strides: 2, name: $"block{block + 1}_pool").Call(x);
        }
        if (includeTop)
        {
            x = new Flatten(name: "flatten").Call(x);
            x = new Dense(4096, activation: Activation.ReLU, name: "fc1").Call(x);
            x = new Dense(4096, activation: Activation.ReLU, name: "fc2").Call(x);
            x = new Dense(classes, activation: Activation.Softmax, name: "predictions").Call(x);
        }
        return new Model(input, x, name);
    }
}
