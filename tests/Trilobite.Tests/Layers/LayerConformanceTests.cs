using Trilobite.Layers;
using Trilobite.Serialization;

namespace Trilobite.Tests.Layers;

/// <summary>
/// The layer conformance harness: for each layer, its output shape, its parameter count, that its
/// config rebuilds an identical layer, and that one training step through it changes its weights — on both devices.
/// </summary>
public class LayerConformanceTests
{
    public static TheoryData<string, Func<Layer>, int[], int[], long> Cases => new()
    {
        { "Conv2D valid", () => new Conv2D(32, 3), [28, 28, 1], [26, 26, 32], 320 },
        { "Conv2D same stride 2", () => new Conv2D(8, 3, strides: 2, padding: Padding.Same), [7, 9, 3], [4, 5, 8], 224 },
        { "Conv2D no bias 1x1", () => new Conv2D(16, 1, useBias: false), [5, 5, 4], [5, 5, 16], 64 },
        { "Conv2D dilated", () => new Conv2D(2, 3, dilationRate: 2), [9, 9, 1], [5, 5, 2], 20 },
        { "Dense", () => new Dense(128), [9216], [128], 1_179_776 },
        { "MaxPooling2D", () => new MaxPooling2D(2), [24, 24, 64], [12, 12, 64], 0 },
        { "MaxPooling2D same", () => new MaxPooling2D(3, strides: 2, padding: Padding.Same), [7, 7, 2], [4, 4, 2], 0 },
        { "AveragePooling2D", () => new AveragePooling2D(2), [28, 28, 6], [14, 14, 6], 0 },
        { "GlobalAveragePooling2D", () => new GlobalAveragePooling2D(), [7, 7, 512], [512], 0 },
        { "GlobalAveragePooling2D keepdims", () => new GlobalAveragePooling2D(keepDims: true), [3, 4, 5], [1, 1, 5], 0 },
        { "GlobalMaxPooling2D", () => new GlobalMaxPooling2D(), [5, 6, 7], [7], 0 },
        { "MaxPooling2D (2, 3) strides (1, 2)", () => new MaxPooling2D((2, 3), (1, 2)), [5, 7, 2], [4, 3, 2], 0 },
        { "AveragePooling2D (3, 1) same", () => new AveragePooling2D((3, 1), padding: Padding.Same), [7, 4, 2], [3, 4, 2], 0 },
        { "Dropout", () => new Dropout(0.5), [128], [128], 0 },
        { "Flatten", () => new Flatten(), [12, 12, 64], [9216], 0 },
        { "Activation", () => new ActivationLayer(Activation.Tanh), [3, 4], [3, 4], 0 },
        { "BatchNormalization", () => new BatchNormalization(), [6, 6, 16], [6, 6, 16], 64 },
        { "ZeroPadding2D", () => new ZeroPadding2D(2), [28, 28, 1], [32, 32, 1], 0 },
        { "Cropping2D", () => new Cropping2D((1, 2, 3, 0)), [28, 28, 2], [25, 25, 2], 0 },
        { "Conv2DTranspose", () => new Conv2DTranspose(4, 2, strides: 2, activation: Activation.ReLU), [5, 6, 3], [10, 12, 4], 2 * 2 * 4 * 3 + 4 },
        { "Conv2DTranspose same 3×3 output padding", () => new Conv2DTranspose(2, 3, strides: 2, padding: Padding.Same, outputPadding: 0), [4, 4, 3], [7, 7, 2], 3 * 3 * 2 * 3 + 2 },
        { "Reshape", () => new Reshape([-1, 4]), [2, 6], [3, 4], 0 },
        { "UpSampling2D", () => new UpSampling2D(2), [3, 4, 5], [6, 8, 5], 0 },
        { "UpSampling2D rows and columns", () => new UpSampling2D((3, 1)), [2, 2, 3], [6, 2, 3], 0 },
        { "UpSampling2D bilinear", () => new UpSampling2D((2, 3), "bilinear"), [3, 4, 2], [6, 12, 2], 0 },
        { "PrimaryCaps", () => new PrimaryCaps(types: 2, dim: 3, kernelSize: 3, strides: 2), [7, 7, 4], [18, 3], 3 * 3 * 4 * 6 + 6 },
        { "CapsuleLayer", () => new CapsuleLayer(capsules: 3, dim: 5, routings: 3), [6, 4], [3, 5], 6 * 3 * 5 * 4 },
        { "CapsuleLayer stop-gradient routing", () => new CapsuleLayer(2, 4, 2, stopGradientInRouting: true), [5, 3], [2, 4], 5 * 2 * 4 * 3 },
        { "Length", () => new Length(), [3, 5], [3], 0 },
        { "Mask", () => new Mask(), [3, 5], [15], 0 },
        { "MaxPooling2D explicit pads", () => new MaxPooling2D((3, 3), (2, 2), explicitPadding: (1, 0, 2, 1)), [7, 8, 2], [3, 5, 2], 0 },
        { "AveragePooling2D explicit pads", () => new AveragePooling2D((2, 2), (1, 1), explicitPadding: (1, 1, 0, 1)), [4, 4, 1], [5, 4, 1], 0 },
        { "ElementwiseConstant per channel", () => new ElementwiseConstant(Trilobite.Autograd.Ops.BinaryOperator.Subtract, [1f, 2f, 3f], [3]), [4, 4, 3], [4, 4, 3], 3 },
        { "ElementwiseConstant image, constant first", () => new ElementwiseConstant(Trilobite.Autograd.Ops.BinaryOperator.Divide, [.. Enumerable.Range(1, 12).Select(i => (float)i)], [2, 2, 3], constantFirst: true), [2, 2, 3], [2, 2, 3], 12 },
        { "ChannelSlice", () => new ChannelSlice(1, 2), [4, 4, 5], [4, 4, 2], 0 },
        { "LeakyReLU", () => new LeakyReLU(0.1), [3, 4], [3, 4], 0 },
    };

    public static TheoryData<string, Func<Layer>, int[], int[], long, string> CasesOnBothDevices
    {
        get
        {
            var data = new TheoryData<string, Func<Layer>, int[], int[], long, string>();
            foreach (object[] row in Cases)
                foreach (string device in new[] { "cpu", "reference" })
                    data.Add((string)row[0], (Func<Layer>)row[1], (int[])row[2], (int[])row[3], (long)row[4], device);
            return data;
        }
    }

    [Theory]
    [MemberData(nameof(CasesOnBothDevices))]
    public void ShapeParametersConfigAndTrainingStep(string description, Func<Layer> create, int[] input, int[] output, long parameters, string device)
    {
        _ = description;
        using var _device = DefaultDevice.Use(device);
        var layer = create();
        Assert.Equal(output, layer.Build(input));
        Assert.Equal(parameters, layer.ParameterCount);

        var copy = LayerRegistry.Create(LayerRegistry.Describe(layer));
        Assert.Equal(layer.GetConfig().ToJsonString(), copy.GetConfig().ToJsonString());
        Assert.Equal(output, copy.Build(input));

        // One step of a tiny model built around the layer moves every trainable weight.
        var model = new Sequential(new Reshape(input, inputShape: input), layer, new Flatten(), new Dense(3, activation: Activation.Softmax));
        model.Compile(Loss.CategoricalCrossentropy, new SGD(0.1));
        var before = layer.GetWeights();
        var x = Tensor.Uniform([4, .. input], -1, 1, 1);
        var y = Tensor.Zeros(4, 3);
        for (int i = 0; i < 4; i++) y[i, i % 3] = 1;
        model.Fit(x, y, batchSize: 4, epochs: 1, verbose: 0);
        var after = layer.GetWeights();
        for (int w = 0; w < layer.Weights.Count; w++)
            if (layer.Weights[w].Trainable) Assert.NotEqual(before[w], after[w]);
    }

    [Theory]
    [MemberData(nameof(DefaultDevice.Both), MemberType = typeof(DefaultDevice))]
    public void MultiInputLayers(string device)
    {
        using var _ = DefaultDevice.Use(device);
        var add = new Add();
        Assert.Equal([4, 4, 3], add.Build([4, 4, 3], [4, 4, 3]));
        var concat = new Concatenate();
        Assert.Equal([4, 4, 7], concat.Build([4, 4, 3], [4, 4, 4]));
        Assert.Throws<ArgumentException>(() => new Add().Build([4, 4, 3]));
        var sum = add.Forward([Tensor.Ones(1, 4, 4, 3), Tensor.Ones(1, 4, 4, 3)], false);
        Assert.All(sum.ToArray(), v => Assert.Equal(2f, v));
    }

    [Theory]
    [MemberData(nameof(DefaultDevice.Both), MemberType = typeof(DefaultDevice))]
    public void WrongBatchShapeAtCallNamesLayerAndShapes(string device)
    {
        using var _ = DefaultDevice.Use(device);
        var dense = new Dense(4);
        dense.Build([10]);
        var ex = Assert.Throws<LayerShapeException>(() => dense.Forward([Tensor.Ones(2, 12)], false));
        Assert.Contains("dense", ex.Message);
        Assert.Contains("(None, 10)", ex.Message);
        Assert.Contains("(None, 12)", ex.Message);
    }

    [Theory]
    [MemberData(nameof(DefaultDevice.Both), MemberType = typeof(DefaultDevice))]
    public void GlorotUniformStaysWithinItsLimitAndIsSeeded(string device)
    {
        using var _ = DefaultDevice.Use(device);
        var a = new Sequential(new Dense(50, inputShape: [100]));
        var b = new Sequential(new Dense(50, inputShape: [100]));
        a.Reinitialize(9);
        b.Reinitialize(9);
        float limit = MathF.Sqrt(6f / 150);
        var w = a.Weights[0].Value.ToArray();
        Assert.All(w, v => Assert.InRange(v, -limit, limit));
        Assert.True(w.Max() > limit * 0.9 && w.Min() < -limit * 0.9);
        Assert.Equal(w, b.Weights[0].Value.ToArray());          // same seed → same weights
        a.Reinitialize(5);
        Assert.NotEqual(w, a.Weights[0].Value.ToArray());
    }
}
