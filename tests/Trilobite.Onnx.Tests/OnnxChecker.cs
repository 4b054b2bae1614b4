using Trilobite.Tests;

namespace Trilobite.Onnx.Tests;

/// <summary>
/// onnx.checker (full check, with shape inference) from Debian's python3-onnx, on a file. Where python3-onnx is not
/// installed the check is reported on the console and skipped: ONNX Runtime still runs every model.
/// </summary>
public static class OnnxChecker
{
    private static readonly Lazy<bool> Available = new(() => PythonTools.Has("onnx", "onnx.checker"));

    public static void AssertValid(byte[] model, string what)
    {
        if (!Available.Value) return;
        string path = Path.Combine(TestData.NewTempDirectory(), "model.onnx");
        File.WriteAllBytes(path, model);
        var (code, output) = PythonTools.Run($"-c \"import onnx,sys; onnx.checker.check_model(sys.argv[1], full_check=True)\" \"{path}\"");
        Directory.Delete(Path.GetDirectoryName(path)!, recursive: true);
        Assert.True(code == 0, $"onnx.checker rejects the {what} export: {output}");
    }
}
