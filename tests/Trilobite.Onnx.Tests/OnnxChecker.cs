using System.Diagnostics;
using Trilobite.Tests;

namespace Trilobite.Onnx.Tests;

/// <summary>
/// onnx.checker (full check, with shape inference) from Debian's python3-onnx, on a file. Where python3-onnx is not
/// installed the check is reported on the console and skipped: ONNX Runtime still runs every model.
/// </summary>
public static class OnnxChecker
{
    private const string Python = "/usr/bin/python3";
    private static readonly Lazy<bool> Available = new(() => Run("-c \"import onnx\"").ExitCode == 0);

    public static void AssertValid(byte[] model, string what)
    {
        if (!Available.Value)
        {
            Console.WriteLine($"onnx.checker skipped for {what}: {Python} with python3-onnx is not installed.");
            return;
        }
        string path = Path.Combine(TestData.NewTempDirectory(), "model.onnx");
        File.WriteAllBytes(path, model);
        var (code, output) = Run($"-c \"import onnx,sys; onnx.checker.check_model(sys.argv[1], full_check=True)\" \"{path}\"");
        Directory.Delete(Path.GetDirectoryName(path)!, recursive: true);
        Assert.True(code == 0, $"onnx.checker rejects the {what} export: {output}");
    }

    private static (int ExitCode, string Output) Run(string arguments)
    {
        if (!File.Exists(Python)) return (-1, "no python3");
        var start = new ProcessStartInfo(Python, arguments) { RedirectStandardError = true, RedirectStandardOutput = true };
        using var process = Process.Start(start)!;
        string output = process.StandardOutput.ReadToEnd() + process.StandardError.ReadToEnd();
        process.WaitForExit();
        return (process.ExitCode, output);
    }
}
