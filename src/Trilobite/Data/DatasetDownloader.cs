using System.IO.Compression;
using System.Security.Cryptography;

namespace Trilobite.Data;

/// <summary>
/// Fetches a <see cref="DatasetSpec"/>'s four files into a cache folder over HTTPS, verifying
/// each by SHA-256 and writing atomically: a download goes to a temporary file in the same
/// folder, is verified, and only then moved over the final name. Files already present that
/// verify are not downloaded again.
/// </summary>
internal sealed class DatasetDownloader
{
    /// <summary>Environment variable naming the root folder of the dataset cache.</summary>
    public const string EnvironmentVariable = "TRILOBITE_DATA";

    static readonly Lazy<HttpClient> SharedClient = new(() => new HttpClient { Timeout = TimeSpan.FromMinutes(2) });

    readonly HttpClient client;
    readonly TextWriter log;

    /// <param name="handler">The HTTP handler; tests pass a fake one. Null: the real network.</param>
    /// <param name="log">Where progress lines go; default standard error.</param>
    public DatasetDownloader(HttpMessageHandler? handler = null, TextWriter? log = null)
    {
        client = handler is null ? SharedClient.Value : new HttpClient(handler, disposeHandler: false);
        this.log = log ?? Console.Error;
    }

    /// <summary>
    /// The folder for <paramref name="spec"/>: <paramref name="directory"/> when given, else
    /// <c>$TRILOBITE_DATA/&lt;name&gt;</c>, else <c>~/.trilobite/datasets/&lt;name&gt;</c>.
    /// </summary>
    public static string ResolveDirectory(DatasetSpec spec, string? directory)
    {
        if (!string.IsNullOrWhiteSpace(directory))
            return Path.GetFullPath(directory);
        string? root = Environment.GetEnvironmentVariable(EnvironmentVariable);
        if (string.IsNullOrWhiteSpace(root))
            root = Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".trilobite", "datasets");
        return Path.GetFullPath(Path.Combine(root, spec.Name));
    }

    /// <summary>Makes sure all four files are in <paramref name="directory"/> and verify; returns the folder.</summary>
    public string Ensure(DatasetSpec spec, string directory)
    {
        Directory.CreateDirectory(directory);
        foreach (DatasetFile file in spec.Files)
        {
            string? existing = IdxDatasetLoader.FindFile(directory, file);
            if (existing is not null && Verify(existing, file, out _))
                continue;
            if (existing is not null)
                log.WriteLine($"{existing}: fails its SHA-256 check; downloading it again.");
            Fetch(spec, file, directory);
        }
        return directory;
    }

    void Fetch(DatasetSpec spec, DatasetFile file, string directory)
    {
        string target = Path.Combine(directory, file.GzName);
        var failures = new List<string>();
        Exception? last = null;
        bool mismatch = false;
        foreach (string mirror in spec.Mirrors)
        {
            string url = mirror + file.GzName;
            string temp = Path.Combine(directory, $".{file.GzName}.{Guid.NewGuid():N}.part");
            try
            {
                log.WriteLine($"Downloading {url} -> {target}");
                DownloadTo(url, temp, file);
                if (!Verify(temp, file, out string actual))
                {
                    mismatch = true;
                    failures.Add($"{url}: checksum mismatch: SHA-256 {actual}, expected {file.CompressedSha256} (or {file.ContentSha256} decompressed)");
                    continue;
                }
                File.Move(temp, target, overwrite: true);
                return;
            }
            catch (Exception e) when (e is HttpRequestException or IOException or OperationCanceledException or UnauthorizedAccessException)
            {
                last = e;
                failures.Add($"{url}: {e.Message}");
            }
            finally
            {
                TryDelete(temp);
            }
        }

        string message =
            $"Could not download {spec.DisplayName} file {file.GzName}. Tried:{Environment.NewLine}" +
            string.Join(Environment.NewLine, failures.Select(f => "  " + f)) + Environment.NewLine +
            $"To install {spec.DisplayName} by hand, download these files from {spec.Mirrors[0]} and put them in {directory}" +
            $" (gzipped or decompressed; each is checked by SHA-256):{Environment.NewLine}" +
            string.Join(Environment.NewLine, spec.Files.Select(f => $"  {f.GzName}  sha256 {f.CompressedSha256}")) + Environment.NewLine +
            $"or set {EnvironmentVariable} to a folder that holds them in {spec.Name}/.";
        throw mismatch ? new InvalidDataException(message, last) : new IOException(message, last);
    }

    void DownloadTo(string url, string path, DatasetFile file)
    {
        // An official file is CompressedSize bytes; allow mirrors some slack, never unbounded.
        long limit = 4 * file.CompressedSize + (1 << 20);
        using var request = new HttpRequestMessage(HttpMethod.Get, url);
        using HttpResponseMessage response = client.Send(request, HttpCompletionOption.ResponseHeadersRead);
        if (!response.IsSuccessStatusCode)
            throw new HttpRequestException($"HTTP {(int)response.StatusCode} {response.ReasonPhrase}", null, response.StatusCode);
        if (response.Content.Headers.ContentLength > limit)
            throw new IOException($"the server announces {response.Content.Headers.ContentLength} bytes, expected about {file.CompressedSize}");
        using Stream body = response.Content.ReadAsStream();
        using var output = new FileStream(path, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 16);
        byte[] buffer = new byte[1 << 16];
        long total = 0;
        int n;
        while ((n = body.Read(buffer)) > 0)
        {
            total += n;
            if (total > limit)
                throw new IOException($"the download exceeds {limit} bytes, expected about {file.CompressedSize}");
            output.Write(buffer, 0, n);
        }
        output.Flush(flushToDisk: true);
    }

    /// <summary>
    /// True when <paramref name="path"/> is the official <c>.gz</c> file (by its SHA-256) or,
    /// decompressed if gzipped, has the official content. <paramref name="actual"/> is the file's SHA-256.
    /// </summary>
    internal static bool Verify(string path, DatasetFile file, out string actual)
    {
        using (var stream = File.OpenRead(path))
            actual = Convert.ToHexStringLower(SHA256.HashData(stream));
        if (actual == file.CompressedSha256)
            return true;
        try
        {
            using var stream = File.OpenRead(path);
            bool gzip = stream.ReadByte() == 0x1f && stream.ReadByte() == 0x8b;
            stream.Position = 0;
            using Stream content = gzip ? new GZipStream(stream, CompressionMode.Decompress) : stream;
            using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
            byte[] buffer = new byte[1 << 16];
            long total = 0;
            int n;
            while ((n = content.Read(buffer)) > 0)
            {
                if ((total += n) > IdxReader.MaxElements + 16)
                    return false; // larger than any IDX file we accept
                hash.AppendData(buffer, 0, n);
            }
            return Convert.ToHexStringLower(hash.GetHashAndReset()) == file.ContentSha256;
        }
        catch (Exception e) when (e is InvalidDataException or IOException)
        {
            return false;
        }
    }

    static void TryDelete(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (IOException)
        {
            // A leftover .part file is harmless: it never has a final name.
        }
    }
}
