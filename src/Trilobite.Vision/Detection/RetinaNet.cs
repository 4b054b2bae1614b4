using Trilobite.Initializers;
using Trilobite.Layers;

namespace Trilobite.Vision.Detection;

/// <summary>
/// A RetinaNet-style one-stage detector (Lin et al. 2017) for small images: a compact convolutional backbone (each stage a
/// strided 3×3 convolution and a 3×3 convolution, BatchNormalization and ReLU) whose stride-8, 16 and 32 maps feed a
/// <see cref="FeaturePyramid"/>; on every pyramid level the same classification and box subnets (4 × conv 3×3 + ReLU,
/// then K·A and 4·A outputs), initialised N(0, 0.01²) with the classifier's bias at −log((1 − π)/π), π = 0.01, so that
/// training starts from "background everywhere". The output is (N, anchors, K + 4): class logits, then box deltas.
/// </summary>
public static class RetinaNet
{
    /// <summary>The prior probability of an object that the classifier's bias starts at.</summary>
    public const double Prior = 0.01;

    /// <summary>
    /// The detector for <paramref name="input"/> (height, width, channels, both divisible by 32) and
    /// <paramref name="classNames"/>; anchors of sizes <paramref name="anchorSizes"/> (one per level, times 2^0, 2^(1/3),
    /// 2^(2/3)) and <paramref name="aspectRatios"/> (h / w). <paramref name="width"/> is the pyramid's channels. The default
    /// anchors fit the digit scenes' boxes (on the 20,000 training scenes: √area 13–36 px for 90 % of the boxes, h / w 0.84–2.5,
    /// a thin "1" up to 6): sizes 12, 24, 48 and ratios 1, 2, 4, where torchvision's 32–512 and 0.5–2 suit 800-pixel photos.
    /// </summary>
    public static Model Build(int[] input, IReadOnlyList<string> classNames, double[]? anchorSizes = null, double[]? aspectRatios = null, int width = 64)
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(classNames);
        if (input is not [int h, int w, 1 or 3] || h % 32 != 0 || w % 32 != 0 || h < 32 || w < 32)
            throw new ArgumentException($"RetinaNet takes (height, width, 1 or 3 channels) with height and width divisible by 32, got {ShapeText.Of(input)}.", nameof(input));
        if (classNames.Count == 0) throw new ArgumentException("A detector needs at least one class.", nameof(classNames));
        anchorSizes ??= [12, 24, 48];
        aspectRatios ??= [1.0, 2.0, 4.0];
        if (anchorSizes.Length != 3) throw new ArgumentException($"RetinaNet has 3 pyramid levels (strides 8, 16, 32): give 3 anchor sizes, not {anchorSizes.Length}.", nameof(anchorSizes));
        var spec = new DetectorSpec("retinanet", [.. input], [.. classNames], [8, 16, 32], [.. anchorSizes.Select(SizesOf)], aspectRatios);
        int anchors = spec.AnchorSizes[0].Length * aspectRatios.Length, classes = classNames.Count;

        var image = Input.Of(input, "image");
        var c3 = Backbone.Stage(Backbone.Stage(Backbone.Stage(Backbone.Stem(image), 32, "stage1"), 64, "stage2"), 96, "stage3");     // stride 8
        var c4 = Backbone.Stage(c3, 128, "stage4");                                                                                 // stride 16
        var c5 = Backbone.Stage(c4, 160, "stage5");                                                                                 // stride 32
        var levels = FeaturePyramid.Build([c3, c4, c5], width);

        // One tower of each kind, called on every level: the same weights look for the same things at every scale.
        var classTower = Tower(width, "class");
        var boxTower = Tower(width, "box");
        var classifier = new Conv2D(anchors * classes, 3, padding: Padding.Same, kernelInitializer: Initializer.RandomNormal(0.01),
            biasInitializer: Initializer.ConstantValue(-Math.Log((1 - Prior) / Prior)), name: "class_logits");
        var regressor = new Conv2D(anchors * 4, 3, padding: Padding.Same, kernelInitializer: Initializer.RandomNormal(0.01), name: "box_deltas");
        var logits = new List<SymbolicTensor>();
        var deltas = new List<SymbolicTensor>();
        for (int l = 0; l < levels.Length; l++)
        {
            var p = levels[l];
            int cells = p.Shape[0] * p.Shape[1];
            logits.Add(new Reshape([cells * anchors * classes], name: $"class_flat{l}").Call(classifier.Call(Apply(classTower, p))));
            deltas.Add(new Reshape([cells * anchors * 4], name: $"box_flat{l}").Call(regressor.Call(Apply(boxTower, p))));
        }
        int total = spec.AnchorsPerLevel().Sum();
        var allLogits = new Reshape([total, classes], name: "class_all").Call(new Concatenate(name: "class_levels").Call([.. logits]));
        var allDeltas = new Reshape([total, 4], name: "box_all").Call(new Concatenate(name: "box_levels").Call([.. deltas]));
        var model = new Model(image, new Concatenate(name: "detections").Call(allLogits, allDeltas), "retinanet");
        spec.WriteTo(model);
        return model;
    }

    private static double[] SizesOf(double size) => [size, size * Math.Pow(2, 1.0 / 3), size * Math.Pow(2, 2.0 / 3)];

    private static Conv2D[] Tower(int width, string name) =>
        [.. Enumerable.Range(1, 4).Select(i => new Conv2D(width, 3, padding: Padding.Same, activation: Activation.ReLU,
            kernelInitializer: Initializer.RandomNormal(0.01), name: $"{name}_tower{i}"))];

    private static SymbolicTensor Apply(Conv2D[] tower, SymbolicTensor x)
    {
        foreach (var conv in tower) x = conv.Call(x);
        return x;
    }
}
