using System.Runtime.CompilerServices;

namespace Trilobite.Tests;

/// <summary>
/// Where the tests find files: the repository root (the folder holding Trilobite.slnx) and the
/// shared data beside it (<c>&lt;root&gt;/../shared/data</c>), which may be absent on a user's machine.
/// </summary>
public static class TestData
{
    static readonly Lazy<string> Root = new(FindRoot);

    /// <summary>The repository root: the nearest folder above the test binaries that holds Trilobite.slnx.</summary>
    public static string RepoRoot => Root.Value;

    /// <summary>The shared data folder, <c>&lt;root&gt;/../shared/data</c> (it may not exist).</summary>
    public static string SharedDataDirectory => Path.GetFullPath(Path.Combine(RepoRoot, "..", "shared", "data"));

    /// <summary>A path inside the shared data folder, or null when it does not exist.</summary>
    public static string? SharedData(string relative)
    {
        string path = Path.Combine(SharedDataDirectory, relative);
        return File.Exists(path) || Directory.Exists(path) ? path : null;
    }

    /// <summary>A path inside the repository (e.g. <c>data/mnist-sample</c>).</summary>
    public static string InRepo(string relative) => Path.Combine(RepoRoot, relative);

    /// <summary>A fresh empty temporary folder, unique per call.</summary>
    public static string NewTempDirectory([CallerMemberName] string caller = "")
    {
        string dir = Path.Combine(Path.GetTempPath(), "trilobite-tests", $"{caller}-{Guid.NewGuid():N}");
        Directory.CreateDirectory(dir);
        return dir;
    }

    static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Trilobite.slnx")))
                return dir.FullName;
        }
        throw new InvalidOperationException($"No Trilobite.slnx found above {AppContext.BaseDirectory}.");
    }
}

/// <summary>
/// A fact that runs only when a path under the shared data folder exists, and is skipped with a
/// message saying what is missing otherwise: <c>[SharedDataFact("fashion-mnist")]</c>.
/// </summary>
public sealed class SharedDataFactAttribute : FactAttribute
{
    /// <param name="relative">A file or folder relative to <c>&lt;root&gt;/../shared/data</c>.</param>
    public SharedDataFactAttribute(string relative)
    {
        string? found;
        try
        {
            found = TestData.SharedData(relative);
        }
        catch (InvalidOperationException e)
        {
            Skip = e.Message;
            return;
        }
        if (found is null)
            Skip = $"Shared data {Path.Combine(TestData.SharedDataDirectory, relative)} is absent; this test needs it.";
    }
}
