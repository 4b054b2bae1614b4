using Trilobite.Data;
using Trilobite.Tests;

namespace Trilobite.Onnx.Tests.Import;

/// <summary>A model exported by another framework: torchvision's ResNet-18 through torch.onnx.export (Import/Golden/torchvision_resnet18.py).</summary>
public class TorchExportTests
{
    [Theory]
    [InlineData(13)]
    [InlineData(9)]
    public void Torchvision_ResNet18_imports_and_gives_PyTorchs_logits(int opset)
    {
        if (!PythonTools.Has("torch, torchvision, numpy", nameof(Torchvision_ResNet18_imports_and_gives_PyTorchs_logits))) return;
        string dir = TestData.NewTempDirectory();
        string script = Path.Combine(TestData.RepoRoot, "tests", "Trilobite.Onnx.Tests", "Import", "Golden", "torchvision_resnet18.py");
        var (code, output) = PythonTools.Run($"\"{script}\" \"{dir}\" {opset}");
        Assert.True(code == 0, output);
        var model = OnnxImporter.Load(Path.Combine(dir, "resnet18.onnx"));
        Assert.Equal([224, 224, 3], model.InputShape);
        var (input, inputShape) = NpyFile.Read(Path.Combine(dir, "input.npy"));
        var (expected, outputShape) = NpyFile.Read(Path.Combine(dir, "output.npy"));
        int n = inputShape[0];
        var x = Tensor.FromArray(Layout.ToNhwc(input, n, 3, 224, 224), n, 224, 224, 3);
        var logits = model.Predict(x);
        Assert.Equal(outputShape, logits.ShapeArray);
        Agreement.Within(logits.ToArray(), expected, 1e-4, $"torchvision ResNet-18, opset {opset}");

        // And back out: our export of the imported model runs in ONNX Runtime with the same logits.
        var (again, _) = OnnxRuntimeRunner.Run(OnnxExporter.ToBytes(model), x);
        Agreement.Within(again, expected, 1e-4, "re-exported");
        Directory.Delete(dir, recursive: true);
    }
}
