using Trilobite.Zoo;

namespace Trilobite.Onnx.Tests.Import;

/// <summary>Export → import gives a model computing the same outputs; export → import → export keeps every weight exactly.</summary>
public class RoundTripTests
{
    public static TheoryData<string> Models => ["lenet", "lenet5", "alexnet", "resnet18", "small-resnet", "unet", "unet-bilinear"];

    private static (Model, Tensor) Make(string name) => name switch
    {
        "lenet" => (LeNetKeras.Build(), RealInputs.DigitBatch(7)),
        "lenet5" => (LeNet5.Build([28, 28, 1]), RealInputs.DigitBatch(7)),
        "alexnet" => (AlexNetInspired.Build(), RealInputs.ImageBatch(2, 224)),
        "resnet18" => (ResNet.Build(18), RealInputs.ImageBatch(2, 224)),
        "small-resnet" => (SmallResNet.Build(), RealInputs.DigitBatch(7)),
        "unet" => (UNet.Build([64, 64, 1], 3, baseFilters: 8, depth: 3), RealInputs.DigitBatch(3, 64)),
        "unet-bilinear" => (UNet.Build([60, 60, 1], 2, baseFilters: 8, depth: 2, bilinearUpsampling: true), RealInputs.DigitBatch(3, 60)),
        _ => throw new ArgumentException(name),
    };

    [Theory]
    [MemberData(nameof(Models))]
    public void Imported_export_computes_what_the_original_does(string name)
    {
        var (model, x) = Make(name);
        ModelPreparation.WithBatchStatistics(model);
        byte[] first = OnnxExporter.ToBytes(model);
        var imported = OnnxImporter.FromBytes(first, name);
        Assert.Equal(model.InputShape, imported.InputShape);
        Assert.Equal(model.ParameterCount, imported.ParameterCount);
        Agreement.Within(imported.Predict(x).ToArray(), model.Predict(x).ToArray(), 1e-6, $"{name} imported");

        byte[] second = OnnxExporter.ToBytes(imported);
        Assert.Equal(FloatInitializers(first), FloatInitializers(second));
        var (a, _) = OnnxRuntimeRunner.Run(first, x);
        var (b, _) = OnnxRuntimeRunner.Run(second, x);
        Assert.Equal(a, b);
    }

    /// <summary>Every float initializer's values, sorted, so names and order do not matter.</summary>
    private static List<string> FloatInitializers(byte[] onnx) =>
        [.. global::Onnx.ModelProto.Parser.ParseFrom(onnx).Graph.Initializer.Where(t => t.DataType == 1)
            .Select(t => Convert.ToBase64String(System.Security.Cryptography.SHA256.HashData(t.RawData.ToByteArray()))).Order(StringComparer.Ordinal)];
}
