using System.Collections.Concurrent;

namespace Trilobite.Vision.Data;

/// <summary>The files an <see cref="ImageFolder"/> could not use: each reported once, by name, as the options say.</summary>
internal sealed class BadFiles(ImageFolderOptions options)
{
    private readonly ConcurrentDictionary<string, string> _skipped = new(StringComparer.Ordinal);
    private readonly Lock _writeLock = new();

    public IReadOnlyCollection<KeyValuePair<string, string>> Skipped => _skipped;

    public bool IsSkipped(string path) => _skipped.ContainsKey(path);

    /// <summary>Skips with a warning, or throws, per <see cref="ImageFolderOptions.OnBadFile"/>.</summary>
    public void Report(string path, string why, Exception? inner = null)
    {
        if (options.OnBadFile == BadFilePolicy.Fail)
            throw new InvalidDataException($"{path}: {why}.", inner);
        if (!_skipped.TryAdd(path, why)) return;
        var writer = options.Warnings ?? Console.Error;
        lock (_writeLock) writer.WriteLine($"Warning: skipping {path}: {why}.");
    }
}
