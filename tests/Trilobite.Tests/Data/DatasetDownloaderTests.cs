using System.Net;
using System.Security.Cryptography;
using Trilobite.Data;
using static Trilobite.Tests.Data.IdxFiles;

namespace Trilobite.Tests.Data;

public class DatasetDownloaderTests
{
    /// <summary>Answers requests from a dictionary of URL → bytes, or with a failure; counts requests. No network.</summary>
    sealed class FakeHandler(Func<string, HttpResponseMessage> respond) : HttpMessageHandler
    {
        public List<string> Requests { get; } = [];

        protected override HttpResponseMessage Send(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            string url = request.RequestUri!.ToString();
            Requests.Add(url);
            return respond(url);
        }

        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken) =>
            Task.FromResult(Send(request, cancellationToken));

        public static FakeHandler Serving(IReadOnlyDictionary<string, byte[]> files) => new(url =>
            files.TryGetValue(url, out byte[]? body)
                ? new HttpResponseMessage(HttpStatusCode.OK) { Content = new ByteArrayContent(body) }
                : new HttpResponseMessage(HttpStatusCode.NotFound));

        public static FakeHandler Offline() => new(url =>
            throw new HttpRequestException($"Name or service not known ({new Uri(url).Host}:443)"));
    }

    const string Mirror = "https://example.test/data/";
    const string Mirror2 = "https://mirror.example.test/";

    // A tiny dataset whose four .gz files and checksums are made here.
    readonly Dictionary<string, byte[]> served = new();
    readonly DatasetSpec spec;
    readonly string dir = TestData.NewTempDirectory(nameof(DatasetDownloaderTests));

    public DatasetDownloaderTests()
    {
        byte[][] raws = [Images(3, 2, 2), Labels(0, 1, 2), Images(2, 2, 2), Labels(2, 1)];
        string[] names = ["train-images-idx3-ubyte", "train-labels-idx1-ubyte", "t10k-images-idx3-ubyte", "t10k-labels-idx1-ubyte"];
        var files = new DatasetFile[4];
        for (int i = 0; i < 4; i++)
        {
            byte[] gz = Gzip(raws[i]);
            served[Mirror + names[i] + ".gz"] = gz;
            files[i] = new DatasetFile(names[i], gz.Length, Sha(gz), Sha(raws[i]));
        }
        spec = new DatasetSpec("tiny", "Tiny", [Mirror], ["a", "b", "c"], files[0], files[1], files[2], files[3]);
    }

    static string Sha(byte[] bytes) => Convert.ToHexStringLower(SHA256.HashData(bytes));

    DatasetDownloader Downloader(FakeHandler handler) => new(handler, TextWriter.Null);

    string[] LeftoverTempFiles() => Directory.GetFiles(dir, "*.part");

    [Fact]
    public void DownloadsVerifiesAndSkipsWhatIsAlreadyThere()
    {
        var handler = FakeHandler.Serving(served);
        Assert.Equal(dir, Downloader(handler).Ensure(spec, dir));
        Assert.Equal(4, handler.Requests.Count);
        Assert.Empty(LeftoverTempFiles());
        foreach (DatasetFile f in spec.Files)
            Assert.Equal(served[Mirror + f.GzName], File.ReadAllBytes(Path.Combine(dir, f.GzName)));
        var (train, test) = IdxDatasetLoader.LoadFolder(spec, dir, scale: true);
        Assert.Equal((3, 2), (train.Count, test.Count));

        var again = FakeHandler.Serving(served);
        Downloader(again).Ensure(spec, dir);
        Assert.Empty(again.Requests);
    }

    [Fact]
    public void AcceptsRecompressedAndDecompressedCopiesByContent()
    {
        DatasetFile f = spec.TrainImages;
        byte[] raw = Images(3, 2, 2);
        string path = Write(dir, f.Name, raw);
        Assert.True(DatasetDownloader.Verify(path, f, out _));
        // A different gzip stream (another level) of the same content: the .gz hash differs, the content hash matches.
        var output = new MemoryStream();
        using (var gz = new System.IO.Compression.GZipStream(output, System.IO.Compression.CompressionLevel.NoCompression, leaveOpen: true))
            gz.Write(raw);
        path = Write(dir, f.GzName, output.ToArray());
        Assert.True(DatasetDownloader.Verify(path, f, out string actual));
        Assert.NotEqual(f.CompressedSha256, actual);
        Assert.False(DatasetDownloader.Verify(Write(dir, "other", Labels(1)), f, out _));
        Assert.False(DatasetDownloader.Verify(Write(dir, "junk.gz", [0x1f, 0x8b, 1, 2, 3]), f, out _));
    }

    [Fact]
    public void ReplacesAFileThatFailsItsChecksum()
    {
        Downloader(FakeHandler.Serving(served)).Ensure(spec, dir);
        string labels = Path.Combine(dir, spec.TrainLabels.GzName);
        File.WriteAllBytes(labels, Gzip(Labels(2, 2, 2)));
        var handler = FakeHandler.Serving(served);
        Downloader(handler).Ensure(spec, dir);
        Assert.Equal([Mirror + spec.TrainLabels.GzName], handler.Requests);
        Assert.Equal(served[Mirror + spec.TrainLabels.GzName], File.ReadAllBytes(labels));
    }

    [Fact]
    public void ABadDownloadNeverReplacesTheFileAndLeavesNoTempFiles()
    {
        string labels = Write(dir, spec.TrainLabels.GzName, [1, 2, 3]);
        var tampered = new Dictionary<string, byte[]>(served) { [Mirror + spec.TrainLabels.GzName] = Gzip(Labels(0, 0, 0)) };
        var e = Assert.Throws<InvalidDataException>(() => Downloader(FakeHandler.Serving(tampered)).Ensure(spec, dir));
        Assert.Contains($"{Mirror}{spec.TrainLabels.GzName}: checksum mismatch", e.Message);
        Assert.Contains(spec.TrainLabels.CompressedSha256, e.Message);
        Assert.Equal([1, 2, 3], File.ReadAllBytes(labels));
        Assert.Empty(LeftoverTempFiles());
    }

    [Fact]
    public void OfflineSaysWhichUrlFailedAndWhereToPutTheFiles()
    {
        var e = Assert.Throws<IOException>(() => Downloader(FakeHandler.Offline()).Ensure(spec, dir));
        Assert.IsType<HttpRequestException>(e.InnerException);
        Assert.Contains($"Could not download Tiny file train-images-idx3-ubyte.gz. Tried:", e.Message);
        Assert.Contains($"{Mirror}train-images-idx3-ubyte.gz: Name or service not known", e.Message);
        Assert.Contains($"put them in {dir}", e.Message);
        Assert.All(spec.Files, f => Assert.Contains($"{f.GzName}  sha256 {f.CompressedSha256}", e.Message));
        Assert.Contains("TRILOBITE_DATA", e.Message);
        Assert.Empty(LeftoverTempFiles());
    }

    [Fact]
    public void FallsBackToTheNextMirrorAndReportsHttpErrors()
    {
        var twoMirrors = spec with { Mirrors = [Mirror2, Mirror] };
        var handler = FakeHandler.Serving(served);
        Downloader(handler).Ensure(twoMirrors, dir);
        Assert.Equal(8, handler.Requests.Count);
        Assert.Equal(Mirror2 + "train-images-idx3-ubyte.gz", handler.Requests[0]);

        var missing = spec with { Mirrors = [Mirror2] };
        var e = Assert.Throws<IOException>(() => Downloader(FakeHandler.Serving(served)).Ensure(missing, TestData.NewTempDirectory()));
        Assert.Contains($"{Mirror2}train-images-idx3-ubyte.gz: HTTP 404", e.Message);
    }

    [Fact]
    public void RefusesOversizedDownloads()
    {
        var huge = new Dictionary<string, byte[]>(served) { [Mirror + spec.TrainImages.GzName] = new byte[(1 << 20) + 4 * 1000 + 1] };
        var e = Assert.Throws<IOException>(() => Downloader(FakeHandler.Serving(huge)).Ensure(spec, dir));
        Assert.Contains("bytes, expected about", e.Message);
        Assert.Empty(LeftoverTempFiles());
    }

    [Fact]
    public void CacheFolderComesFromTheArgumentThenTheEnvironment()
    {
        Assert.Equal(Path.GetFullPath(dir), DatasetDownloader.ResolveDirectory(DatasetSpec.Mnist, dir));
        string? saved = Environment.GetEnvironmentVariable("TRILOBITE_DATA");
        try
        {
            Environment.SetEnvironmentVariable("TRILOBITE_DATA", dir);
            Assert.Equal(Path.Combine(dir, "fashion-mnist"), DatasetDownloader.ResolveDirectory(DatasetSpec.FashionMnist, null));
            Environment.SetEnvironmentVariable("TRILOBITE_DATA", null);
            string home = Environment.GetFolderPath(Environment.SpecialFolder.UserProfile);
            Assert.Equal(Path.Combine(home, ".trilobite", "datasets", "mnist"), DatasetDownloader.ResolveDirectory(DatasetSpec.Mnist, null));
        }
        finally
        {
            Environment.SetEnvironmentVariable("TRILOBITE_DATA", saved);
        }
    }

    [SharedDataFact("fashion-mnist")]
    public void TheSharedFashionMnistCopiesVerifySoNothingIsDownloaded()
    {
        string shared = TestData.SharedData("fashion-mnist")!;
        foreach (DatasetFile f in DatasetSpec.FashionMnist.Files)
            File.Copy(Path.Combine(shared, f.GzName), Path.Combine(dir, f.GzName));
        var handler = FakeHandler.Offline();
        Downloader(handler).Ensure(DatasetSpec.FashionMnist, dir);
        Assert.Empty(handler.Requests);
    }

    [Fact]
    public void SpecsUseHttpsAndWellFormedChecksums()
    {
        foreach (var s in new[] { DatasetSpec.Mnist, DatasetSpec.FashionMnist })
        {
            Assert.All(s.Mirrors, m => Assert.StartsWith("https://", m));
            Assert.All(s.Files, f => Assert.Matches("^[0-9a-f]{64}$", f.CompressedSha256));
            Assert.All(s.Files, f => Assert.Matches("^[0-9a-f]{64}$", f.ContentSha256));
        }
    }
}
