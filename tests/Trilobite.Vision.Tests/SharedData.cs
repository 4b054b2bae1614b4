namespace Trilobite.Vision.Tests;

/// <summary>
/// Locates <c>../shared/data</c> beside the repository root (the folder holding Trilobite.slnx), walking up from
/// the test assembly's directory. Tests that need it use <see cref="SharedDataFactAttribute"/> and are skipped,
/// with a message, where the folder is absent.
/// </summary>
public static class SharedData
{
    private static readonly Lazy<string?> Root = new(Find);

    public static string? Directory => Root.Value;

    public static string Path(params string[] parts) =>
        System.IO.Path.Combine([Directory ?? throw new InvalidOperationException("shared data folder not found"), .. parts]);

    public static string? RepoRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(System.IO.Path.Combine(dir.FullName, "Trilobite.slnx")))
                return dir.FullName;
        return null;
    }

    private static string? Find()
    {
        var repo = RepoRoot();
        if (repo is null) return null;
        var data = System.IO.Path.GetFullPath(System.IO.Path.Combine(repo, "..", "shared", "data"));
        return System.IO.Directory.Exists(data) ? data : null;
    }
}

/// <summary>A fact that is skipped (with the reason shown) when ../shared/data is not there.</summary>
public sealed class SharedDataFactAttribute : FactAttribute
{
    public SharedDataFactAttribute()
    {
        if (SharedData.Directory is null)
            Skip = "../shared/data (beside the repository root holding Trilobite.slnx) is absent: test skipped.";
    }
}
