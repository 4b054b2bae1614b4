using Trilobite.Initializers;
using Trilobite.Layers;

namespace Trilobite.Vision.Detection;

/// <summary>
/// A YOLO-style grid detector (Redmon et al. 2016, "YOLO v1"): the image is an S × S grid, and each cell predicts B boxes
/// (x, y within the cell, √w and √h as fractions of the image, and a confidence) and one set of class probabilities,
/// as a convolution output (N, S, S, B·5 + C). The backbone is <see cref="RetinaNet"/>'s down to stride 16, then two
/// 3×3 convolutions and a linear 1×1 convolution to the predictions.
/// </summary>
public static class YoloV1
{
    /// <summary>The detector for <paramref name="input"/> (height and width equal and divisible by 16: S = size / 16) and <paramref name="classNames"/>.</summary>
    public static Model Build(int[] input, IReadOnlyList<string> classNames, int boxesPerCell = 2)
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(classNames);
        if (input is not [int h, int w, 1 or 3] || h != w || h % 16 != 0 || h < 32)
            throw new ArgumentException($"YOLO takes a square (size, size, 1 or 3 channels) input with the size divisible by 16, got {ShapeText.Of(input)}.", nameof(input));
        if (classNames.Count == 0) throw new ArgumentException("A detector needs at least one class.", nameof(classNames));
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(boxesPerCell);
        int grid = h / 16;
        var image = Input.Of(input, "image");
        var x = Backbone.Stage(Backbone.Stage(Backbone.Stage(Backbone.Stage(Backbone.Stem(image), 32, "stage1"), 64, "stage2"), 96, "stage3"), 128, "stage4");
        x = Backbone.ConvBnRelu(Backbone.ConvBnRelu(x, 192, 1, "head1"), 192, 1, "head2");
        var output = new Conv2D(boxesPerCell * 5 + classNames.Count, 1, kernelInitializer: Initializer.RandomNormal(0.01), name: "grid").Call(x);
        var model = new Model(image, output, "yolo");
        new DetectorSpec("yolo", [.. input], [.. classNames], [16], [], []) { Grid = grid, BoxesPerCell = boxesPerCell }.WriteTo(model);
        return model;
    }
}
