using System.Diagnostics;

namespace Trilobite.Packaging.Tests;

/// <summary>Runs a program to its end with a time limit, capturing what it printed.</summary>
internal static class Processes
{
    public static (int Code, string Out, string Err) Run(string file, IEnumerable<string> args, string workingDirectory,
        TimeSpan limit, IReadOnlyDictionary<string, string>? environment = null)
    {
        var start = new ProcessStartInfo(file) { WorkingDirectory = workingDirectory, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (string a in args) start.ArgumentList.Add(a);
        foreach (var (k, v) in environment ?? new Dictionary<string, string>()) start.Environment[k] = v;
        start.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        start.Environment["DOTNET_NOLOGO"] = "1";
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(limit))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{file} {string.Join(' ', args)} ran past {limit.TotalSeconds} s.");
        }
        return (process.ExitCode, stdout.Result, stderr.Result);
    }

    /// <summary>The repository root: the folder above the tests that holds Trilobite.slnx.</summary>
    public static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir != null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "Trilobite.slnx"))) return dir.FullName;
        throw new DirectoryNotFoundException("Trilobite.slnx not found above " + AppContext.BaseDirectory);
    }

    public static string TempDir(string what) => Directory.CreateTempSubdirectory($"trilobite-{what}-").FullName;
}
