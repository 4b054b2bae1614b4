namespace Trilobite.Onnx.Tests.Import;

/// <summary>Export → import gives a model computing the same outputs; export → import → export keeps every weight exactly.</summary>
public class RoundTripTests
{
    public static TheoryData<string> Models => ["lenet", "lenet5", "alexnet", "resnet18", "small-resnet", "unet", "unet-bilinear"];

    [Theory]
    [MemberData(nameof(Models))]
    public void Imported_export_computes_what_the_original_does(string name)
    {
        var (model, inputs) = ZooCases.Make(name);
        var x = inputs(3);
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
