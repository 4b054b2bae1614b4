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

    [Theory]
    [MemberData(nameof(Models))]
    public void Exported_zoo_model_runs_in_OnnxRuntime_like_Trilobite(string name)
    {
        var (model, inputs) = ZooCases.Make(name);
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
