namespace Trilobite.Zoo;

/// <summary>
/// VGG16 (configuration D): 13 convolutions in blocks of 2, 2, 3, 3, 3, and with the top three dense layers.
/// 138,357,544 parameters with the top (224×224×3, 1000 classes), 14,714,688 without — as keras.applications.VGG16.
/// <code>var features = Vgg16.Build(includeTop: false, inputShape: [150, 150, 3]);</code>
/// </summary>
public static class Vgg16
{
    /// <summary>VGG16 on <paramref name="inputShape"/> (default 224×224×3); with <paramref name="includeTop"/>, ending in <paramref name="classes"/> softmax outputs, otherwise at block5_pool's feature map.</summary>
    public static Model Build(bool includeTop = true, int[]? inputShape = null, int classes = 1000) =>
        Vgg.Build("vgg16", [2, 2, 3, 3, 3], includeTop, inputShape, classes);
}
