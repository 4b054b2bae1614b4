using Trilobite.Layers;
using Trilobite.Zoo;

namespace Trilobite.Onnx.Tests.Export;

/// <summary>
/// Every zoo model exports, passes onnx.checker and gives ONNX Runtime's outputs equal to Trilobite's to 1e-4 (relative to
/// the output's scale) on real inputs, at batch 1 and batch 7; with NHWC input (the default) and NCHW.
/// </summary>
public class ZooExportTests
{
    public static TheoryData<string> Models => ["lenet", "lenet5", "alexnet", "vgg-inspired", "vgg16", "resnet18", "resnet50", "small-resnet", "unet", "unet-bilinear"];

    private static (Model Model, Func<int, Tensor> Inputs) Make(string name) => name switch
    {
        "lenet" => (LeNetKeras.Build(), n => RealInputs.DigitBatch(n)),
        "lenet5" => (LeNet5.Build([28, 28, 1]), n => RealInputs.DigitBatch(n)),
        "alexnet" => (AlexNetInspired.Build(), n => RealInputs.ImageBatch(n, 224)),
        "vgg-inspired" => (VggInspired.Build(), n => RealInputs.ImageBatch(n, 224)),
        "vgg16" => (Vgg16.Build(), n => RealInputs.ImageBatch(n, 224)),
        "resnet18" => (ResNet.Build(18), n => RealInputs.ImageBatch(n, 224)),
        "resnet50" => (ResNet.Build(50), n => RealInputs.ImageBatch(n, 224)),
        "small-resnet" => (SmallResNet.Build(), n => RealInputs.DigitBatch(n)),
        "unet" => (UNet.Build([64, 64, 1], 3, baseFilters: 8, depth: 3), n => RealInputs.DigitBatch(n, 64)),
        "unet-bilinear" => (UNet.Build([60, 60, 1], 2, baseFilters: 8, depth: 2, bilinearUpsampling: true), n => RealInputs.DigitBatch(n, 60)),
        _ => throw new ArgumentException(name),
    };

    [Theory]
    [MemberData(nameof(Models))]
    public void Exported_zoo_model_runs_in_OnnxRuntime_like_Trilobite(string name)
    {
        var (model, inputs) = Make(name);
        ModelPreparation.WithBatchStatistics(model);
        byte[] onnx = OnnxExporter.ToBytes(model);
        OnnxChecker.AssertValid(onnx, name);
        foreach (int batch in new[] { 1, 7 })
        {
            var x = inputs(batch);
            var expected = model.Predict(x);
            var (actual, shape) = OnnxRuntimeRunner.Run(onnx, x);
            Assert.Equal(expected.ShapeArray, shape);
            Agreement.Within(actual, expected.ToArray(), 1e-4, $"{name} at batch {batch}");
        }
    }

    [Fact]
    public void Nchw_input_option_takes_and_returns_channels_first()
    {
        var model = ModelPreparation.WithBatchStatistics(UNet.Build([32, 32, 1], 2, baseFilters: 4, depth: 2));
        byte[] onnx = OnnxExporter.ToBytes(model, new OnnxExportOptions { NchwInput = true });
        OnnxChecker.AssertValid(onnx, "unet nchw");
        var x = RealInputs.DigitBatch(3, 32);
        var expected = model.Predict(x);
        var (actual, shape) = OnnxRuntimeRunner.Run(onnx, Layout.ToNchw(x.ToArray(), 3, 32, 32, 1), [3, 1, 32, 32]);
        Assert.Equal([3, 2, 32, 32], shape);
        Agreement.Within(Layout.ToNhwc(actual, 3, 2, 32, 32), expected.ToArray(), 1e-4, "NCHW export");
    }
}
