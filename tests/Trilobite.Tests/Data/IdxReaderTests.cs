using Trilobite.Data;
using static Trilobite.Tests.Data.IdxFiles;

namespace Trilobite.Tests.Data;

public class IdxReaderTests
{
    readonly string dir = TestData.NewTempDirectory(nameof(IdxReaderTests));

    InvalidDataException Fails(string name, byte[] bytes)
    {
        string path = Write(dir, name, bytes);
        var e = Assert.Throws<InvalidDataException>(() => IdxReader.Read(path));
        Assert.StartsWith(path + ": ", e.Message);
        return e;
    }

    [Fact]
    public void ReadsGzippedImages()
    {
        byte[] raw = Images(3, 2, 4);
        var array = IdxReader.ReadImages(Write(dir, "images.gz", Gzip(raw)));
        Assert.Equal([3, 2, 4], array.Dimensions);
        Assert.Equal(raw[16..], array.Data);
        Assert.Equal(3, array.Count);
        Assert.Equal("3×2×4", array.ShapeText);
    }

    [Fact]
    public void ReadsRawLabels()
    {
        var array = IdxReader.ReadLabels(Write(dir, "labels", Labels(1, 7, 3, 0)));
        Assert.Equal([4], array.Dimensions);
        Assert.Equal(new byte[] { 1, 7, 3, 0 }, array.Data);
    }

    [Fact]
    public void DetectsGzipByMagicNotByName()
    {
        Assert.Equal([2], IdxReader.Read(Write(dir, "raw-named.gz", Labels(4, 5))).Dimensions);
        Assert.Equal([2], IdxReader.Read(Write(dir, "gz-named-raw", Gzip(Labels(4, 5)))).Dimensions);
    }

    [Fact]
    public void ReadsFromAStream()
    {
        using var stream = new MemoryStream(Gzip(Images(1, 3, 3)));
        Assert.Equal([1, 3, 3], IdxReader.Read(stream, "memory").Dimensions);
    }

    [Theory]
    [InlineData(0x00000804, "unsupported magic 0x00000804")]
    [InlineData(0x12345678, "not an IDX file: magic is 0x12345678")]
    [InlineData(0x00000D03, "unsupported element type 0x0D")]
    public void RejectsWrongMagic(int magic, string expected)
    {
        var e = Fails("bad-magic", Idx(magic, [1, 1, 1], [0]));
        Assert.Contains(expected, e.Message);
    }

    [Fact]
    public void RejectsTruncatedRawPixels()
    {
        byte[] bytes = Images(2, 3, 4)[..^4];
        var e = Fails("short", bytes);
        Assert.EndsWith("short: truncated: header promises 2×3×4 = 24 bytes of pixels, file has 20.", e.Message);
    }

    [Fact]
    public void RejectsTruncatedGzippedPixels()
    {
        var e = Fails("short.gz", Gzip(Images(2, 3, 4)[..^5]));
        Assert.Contains("truncated: header promises 2×3×4 = 24 bytes of pixels, file has 19", e.Message);
    }

    [Fact]
    public void RejectsTruncatedLabels()
    {
        var e = Fails("labels", Idx(0x801, [5], [1, 2]));
        Assert.Contains("truncated: header promises 5 bytes of labels, file has 2", e.Message);
    }

    [Theory]
    [InlineData(new byte[] { })]
    [InlineData(new byte[] { 0, 0, 8 })]
    [InlineData(new byte[] { 0, 0, 8, 3, 0, 0, 0, 1, 0, 0 })]
    public void RejectsTruncatedHeader(byte[] bytes)
    {
        Assert.Contains("truncated", Fails("header", bytes).Message);
    }

    [Fact]
    public void RejectsCorruptGzip()
    {
        byte[] gz = Gzip(Images(20, 28, 28));
        for (int i = 20; i < gz.Length - 8; i++)
            gz[i] ^= 0x5A;
        Assert.Throws<InvalidDataException>(() => IdxReader.Read(Write(dir, "corrupt.gz", gz)));
    }

    [Fact]
    public void RejectsTrailingBytes()
    {
        Assert.Contains("trailing bytes: header promises 2×2×2 = 8 bytes of pixels, file has 3 bytes more",
            Fails("long", Images(2, 2, 2, extra: 3)).Message);
        Assert.Contains("trailing bytes: header promises 2 bytes of labels, file has 1 bytes more",
            Fails("long.gz", Gzip(Idx(0x801, [2], [1, 2, 3]))).Message);
    }

    [Theory]
    [InlineData(0, 28, 28, "dimension 0 is 0")]
    [InlineData(10, -28, 28, "dimension 1 is -28")]
    [InlineData(60000, 60000, 60000, "absurd size: header promises 60000×60000×60000")]
    [InlineData(int.MaxValue, int.MaxValue, 2, "absurd size")]
    public void RejectsAbsurdDimensions(int n, int rows, int cols, string expected)
    {
        Assert.Contains(expected, Fails("absurd", Idx(0x803, [n, rows, cols], new byte[16])).Message);
    }

    [Fact]
    public void RefusesHugePromisesInSmallFilesBeforeAllocating()
    {
        // 1000×1000×1000 = 10^9 bytes is below the element cap, but these files cannot hold it.
        byte[] lie = Idx(0x803, [1000, 1000, 1000], new byte[100]);
        long before = GC.GetAllocatedBytesForCurrentThread();
        Assert.Contains("truncated: header promises 1000×1000×1000 = 1000000000 bytes of pixels, file has 100", Fails("lie", lie).Message);
        Assert.Contains("cannot hold that much", Fails("lie.gz", Gzip(lie)).Message);
        Assert.True(GC.GetAllocatedBytesForCurrentThread() - before < 50_000_000, "the reader allocated for the lie");
    }

    [Fact]
    public void ReadImagesRejectsLabelFilesAndViceVersa()
    {
        string labels = Write(dir, "labels", Labels(1, 2));
        string images = Write(dir, "images", Images(1, 2, 2));
        Assert.Contains("expected images", Assert.Throws<InvalidDataException>(() => IdxReader.ReadImages(labels)).Message);
        Assert.Contains("expected labels", Assert.Throws<InvalidDataException>(() => IdxReader.ReadLabels(images)).Message);
    }

    [Fact]
    public void MissingFileIsFileNotFound()
    {
        string path = Path.Combine(dir, "nope.gz");
        Assert.Contains(path, Assert.Throws<FileNotFoundException>(() => IdxReader.Read(path)).Message);
    }
}
