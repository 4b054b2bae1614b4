using System.Diagnostics;

namespace Trilobite.Onnx.Tests;

/// <summary>Debian's /usr/bin/python3 for golden files: tests that need a module it lacks say so and return.</summary>
public static class PythonTools
{
    public const string Python = "/usr/bin/python3";

    /// <summary>True when <c>import <paramref name="modules"/></c> works; otherwise prints why the caller skips.</summary>
    public static bool Has(string modules, string test)
    {
        if (File.Exists(Python) && Run($"-c \"import {modules}\"").ExitCode == 0) return true;
        Console.WriteLine($"{test} skipped: {Python} with {modules} is not installed.");
        return false;
    }

    public static (int ExitCode, string Output) Run(string arguments)
    {
        if (!File.Exists(Python)) return (-1, "no python3");
        var start = new ProcessStartInfo(Python, arguments) { RedirectStandardError = true, RedirectStandardOutput = true };
        start.Environment.Remove("OPENBLAS_CORETYPE");
        using var process = Process.Start(start)!;
        var stderr = process.StandardError.ReadToEndAsync();
        string output = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        return (process.ExitCode, output + stderr.Result);
    }
}
