using System.Diagnostics;

namespace Trilobite.Cli.Tests;

/// <summary>
/// Small file systems for the tests that need a full disk or a read-only folder: a size-limited tmpfs and a read-only bind
/// mount. Mounting needs root (a container's root will do); elsewhere the tests that use them are skipped with the reason.
/// </summary>
internal static class Mounts
{
    private static readonly Lazy<string?> s_unavailable = new(Probe);

    /// <summary>Why mounting cannot be done here, or null when it can.</summary>
    public static string? Unavailable => s_unavailable.Value;

    /// <summary>Mounts a tmpfs of <paramref name="bytes"/> (rounded up to pages) on the empty folder <paramref name="dir"/>.</summary>
    public static void Tmpfs(string dir, long bytes) => Mount("-t", "tmpfs", "-o", $"size={bytes}", "tmpfs", dir);

    /// <summary>Makes <paramref name="dir"/> read-only in place, with what it holds.</summary>
    public static void ReadOnly(string dir) => Mount("--bind", "-o", "ro", dir, dir);

    public static void Unmount(string dir) => Mount("-u", dir);

    private static void Mount(params string[] args)
    {
        bool unmount = args[0] == "-u";
        var (code, err) = Exec(unmount ? "umount" : "mount", unmount ? args[1..] : args);
        if (code != 0) throw new InvalidOperationException($"{(unmount ? "umount" : "mount")} {string.Join(' ', args)} failed: {err.Trim()}");
    }

    private static (int Code, string Err) Exec(string file, string[] args)
    {
        var start = new ProcessStartInfo(file) { RedirectStandardError = true, RedirectStandardOutput = true };
        foreach (string a in args) start.ArgumentList.Add(a);
        using var p = Process.Start(start)!;
        string err = p.StandardError.ReadToEnd();
        p.WaitForExit();
        return (p.ExitCode, err);
    }

    private static string? Probe()
    {
        if (!OperatingSystem.IsLinux()) return "mounting a small file system is done on Linux only";
        string dir = Directory.CreateTempSubdirectory("trilobite-mount-probe-").FullName;
        try
        {
            try { Tmpfs(dir, 64 << 10); }
            catch (Exception e) { return $"this user cannot mount a tmpfs ({ErrorText.Of(e)})"; }
            Unmount(dir);
            return null;
        }
        finally { Directory.Delete(dir, recursive: true); }
    }
}

/// <summary>A fact skipped, with the reason shown, where <see cref="Mounts"/> cannot mount.</summary>
public sealed class MountFactAttribute : FactAttribute
{
    public MountFactAttribute()
    {
        if (Mounts.Unavailable is { } why) Skip = $"needs a small file system of its own, and {why}: test skipped.";
    }
}
