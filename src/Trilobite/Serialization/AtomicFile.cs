using System.Text.RegularExpressions;

namespace Trilobite.Serialization;

/// <summary>
/// Writes a file so that readers see either the old or the complete new content: write a temporary file beside it,
/// flush to disk, then rename over. A process killed mid-write leaves its temporary file behind; the next write of the
/// same file removes such leftovers once they are older than <see cref="StaleAfter"/> (younger ones may belong to a
/// write still running in another process).
/// </summary>
public static partial class AtomicFile
{
    /// <summary>Age after which another write's temporary file is taken as abandoned.</summary>
    public static readonly TimeSpan StaleAfter = TimeSpan.FromMinutes(15);

    /// <summary>
    /// Writes <paramref name="path"/> atomically with <paramref name="write"/> (creating its folder): a temporary file beside it,
    /// flushed to disk, then renamed over the target. If <paramref name="write"/> throws, the temporary file is deleted and the
    /// old file is left as it was.
    /// </summary>
    public static void Write(string path, Action<Stream> write)
    {
        string full = Path.GetFullPath(path);
        string directory = Path.GetDirectoryName(full) ?? ".";
        Directory.CreateDirectory(directory);
        RemoveStaleTemporaries(directory, Path.GetFileName(full));
        string temp = Path.Combine(directory, $".{Path.GetFileName(full)}.{Guid.NewGuid():N}.tmp");
        try
        {
            using (var stream = new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None))
            {
                write(stream);
                stream.Flush(flushToDisk: true);
            }
            File.Move(temp, full, overwrite: true);
        }
        finally
        {
            if (File.Exists(temp)) File.Delete(temp);
        }
    }

    /// <summary>Deletes ".name.GUID.tmp" files of this target older than <see cref="StaleAfter"/>; only names this class makes.</summary>
    private static void RemoveStaleTemporaries(string directory, string fileName)
    {
        var cutoff = DateTime.UtcNow - StaleAfter;
        foreach (var candidate in Directory.EnumerateFiles(directory, $".{fileName}.*.tmp"))
        {
            if (!TemporaryName().IsMatch(Path.GetFileName(candidate)[(fileName.Length + 1)..])) continue;
            try
            {
                if (File.GetLastWriteTimeUtc(candidate) < cutoff) File.Delete(candidate);
            }
            catch (IOException) { }                  // gone already, or in use: the next write tries again
            catch (UnauthorizedAccessException) { }
        }
    }

    [GeneratedRegex("^\\.[0-9a-f]{32}\\.tmp$")]
    private static partial Regex TemporaryName();
}
