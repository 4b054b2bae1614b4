namespace Trilobite.Zoo;

/// <summary>
/// VGG19 (configuration E): 16 convolutions in blocks of 2, 2, 4, 4, 4, and with the top three dense layers.
/// 143,667,240 parameters with the top (224×224×3, 1000 classes), 20,024,384 without — as keras.applications.VGG19.
/// </summary>
public static class Vgg19
{
    /// <summary>VGG19 on <paramref name="inputShape"/> (default 224×224×3); with <paramref name="includeTop"/>, ending in <paramref name="classes"/> softmax outputs, otherwise at block5_pool's feature map.</summary>
    public static Model Build(bool includeTop = true, int[]? inputShape = null, int classes = 1000) =>
        Vgg.Build("vgg19", [2, 2, 4, 4, 4], includeTop, inputShape, classes);
}
