using Trilobite.Layers;
using Trilobite.Zoo;

namespace Trilobite.Onnx.Tests.Export;

/// <summary>Every exportable layer and option, in small functional models, against ONNX Runtime.</summary>
public class LayerExportTests
{
    private static void AssertAgrees(Model model, Tensor x, string what)
    {
        ModelPreparation.WithBatchStatistics(model);
        byte[] onnx = OnnxExporter.ToBytes(model);
        OnnxChecker.AssertValid(onnx, what);
        var expected = model.Predict(x);
        var (actual, shape) = OnnxRuntimeRunner.Run(onnx, x);
        Assert.Equal(expected.ShapeArray, shape);
        Agreement.Within(actual, expected.ToArray(), 1e-4, what);
    }

    [Fact]
    public void Functional_model_with_concatenate_padding_cropping_and_every_activation()
    {
        var input = Input.Of([28, 28, 1]);
        var a = new Conv2D(8, 3, strides: 2, padding: Padding.Same, activation: Activation.GELU).Call(input);                  // asymmetric 'same' pads
        var b = new Conv2D(6, (3, 5), (1, 1), padding: Padding.Same, activation: Activation.ELU, dilationRate: (2, 1)).Call(new MaxPooling2D(2).Call(input));
        var merged = new Concatenate().Call(a, b);
        var p = new ZeroPadding2D((1, 2, 0, 3)).Call(merged);
        var c = new Cropping2D((2, 1, 1, 0)).Call(p);
        var d = new AveragePooling2D(3, strides: 2, padding: Padding.Same).Call(new ActivationLayer(Activation.LeakyReLU).Call(c));
        var e = new BatchNormalization().Call(new Conv2D(5, 1, activation: Activation.Tanh).Call(d));
        var up = UpSampling2D.ToSize(13, 11).Call(e);
        var t = new Conv2DTranspose(4, 3, strides: 2, padding: Padding.Valid, activation: Activation.Sigmoid).Call(up);
        var pooled = new GlobalMaxPooling2D().Call(t);
        var dense = new BatchNormalization().Call(new Dense(12, activation: Activation.ReLU).Call(new Dropout(0.5).Call(pooled)));
        var reshaped = new Reshape([3, 4]).Call(dense);
        var output = new ActivationLayer(Activation.Softmax).Call(reshaped);
        AssertAgrees(new Model(input, output), RealInputs.DigitBatch(7), "functional model");
    }

    [Fact]
    public void Maps_through_reshape_softmax_and_keep_dims_pooling_keep_keras_order()
    {
        var input = Input.Of([12, 12, 3]);
        var x = new Conv2D(6, 3, activation: Activation.Softmax).Call(input);                         // softmax over channels of a map
        var flat = new Reshape([10, 10 * 6]).Call(x);                                                 // a map leaves NCHW
        var back = new Reshape([5, 10, 12]).Call(flat);                                               // and re-enters
        var pooled = new GlobalAveragePooling2D(keepDims: true).Call(new Conv2D(4, 2, padding: Padding.Same).Call(back));
        var up = new UpSampling2D(3).Call(pooled);
        var model = new Model(input, new Flatten().Call(new Conv2DTranspose(2, 3, strides: 2, padding: Padding.Same).Call(up)));
        AssertAgrees(model, RealInputs.DigitBatch(4, 12, 3), "reshaped maps");
    }

    [Fact]
    public void Imported_kinds_of_layer_export_too()
    {
        var input = Input.Of([12, 12, 3]);
        var scaled = new ElementwiseConstant(Trilobite.Autograd.Ops.BinaryOperator.Subtract, [.. Enumerable.Range(0, 12 * 12 * 3).Select(i => i / 400f)], [12, 12, 3]).Call(input);
        var perChannel = new ElementwiseConstant(Trilobite.Autograd.Ops.BinaryOperator.Subtract, [0.5f, 2f, 4f], [3], constantFirst: true).Call(new ElementwiseConstant(Trilobite.Autograd.Ops.BinaryOperator.Add, [0.25f], []).Call(scaled));
        var bgr = new Concatenate().Call(new ChannelSlice(2, 1).Call(perChannel), new ChannelSlice(0, 2).Call(perChannel));
        var x = new LeakyReLU(0.1).Call(new Conv2D(4, 3).Call(new ElementwiseConstant(Trilobite.Autograd.Ops.BinaryOperator.Divide, [0.5f, 2f, 4f], [3]).Call(bgr)));
        var pooled = new AveragePooling2D((3, 3), (2, 2), explicitPadding: (1, 1, 0, 2)).Call(new MaxPooling2D((3, 2), (1, 2), explicitPadding: (2, 0, 1, 1)).Call(x));
        AssertAgrees(new Model(input, new Flatten().Call(pooled)), RealInputs.DigitBatch(3, 12, 3), "imported kinds");
    }

    [Fact]
    public void Nested_models_are_inlined()
    {
        var innerInput = Input.Of([14, 14, 4]);
        var block = new Model(innerInput, new Add().Call(innerInput, new Conv2D(4, 3, padding: Padding.Same).Call(innerInput)), "block");
        var input = Input.Of([28, 28, 1]);
        var x = new MaxPooling2D(2).Call(new Conv2D(4, 3, padding: Padding.Same, activation: Activation.ReLU).Call(input));
        var y = block.Call(block.Call(x));
        AssertAgrees(new Model(input, new Dense(10, activation: Activation.Softmax).Call(new Flatten().Call(y))), RealInputs.DigitBatch(3), "nested model");
    }

    [Fact]
    public void A_layer_without_an_onnx_counterpart_is_named_in_the_error()
    {
        var error = Assert.Throws<NotSupportedException>(() => OnnxExporter.ToBytes(CapsNet.Mnist()));
        Assert.Contains("PrimaryCaps", error.Message);
    }

    [Fact]
    public void Export_writes_the_file_atomically_and_keeps_the_metadata()
    {
        var model = LeNetKeras.Build();
        model.Metadata["classes"] = "0,1,2,3,4,5,6,7,8,9";
        string path = Path.Combine(Trilobite.Tests.TestData.NewTempDirectory(), "lenet.onnx");
        OnnxExporter.Export(model, path);
        var proto = global::Onnx.ModelProto.Parser.ParseFrom(File.ReadAllBytes(path));
        Assert.Equal(13, proto.OpsetImport.Single().Version);
        Assert.Equal("0,1,2,3,4,5,6,7,8,9", proto.MetadataProps.Single(p => p.Key == "classes").Value);
        Assert.Equal("N", proto.Graph.Input[0].Type.TensorType.Shape.Dim[0].DimParam);
        Assert.Single(Directory.GetFiles(Path.GetDirectoryName(path)!));
    }
}
