using System.Buffers.Binary;
using System.IO.Hashing;
using StbImageWriteSharp;
using Trilobite.Vision.Imaging;
using Trilobite.Vision.ViolaJones;

namespace Trilobite.Vision.Tests.Imaging;

/// <summary>Truncated, damaged and oversized images are refused, naming the file, before any pixel is decoded.</summary>
public sealed class ImageIntegrityTests
{
    internal static RgbImage Picture(int width = 40, int height = 30)
    {
        var img = new RgbImage(width, height, new byte[width * height * 3]);
        new Random(3).NextBytes(img.Pixels);
        return img;
    }

    internal static byte[] Png(RgbImage img)
    {
        var m = new MemoryStream();
        new ImageWriter().WritePng(img.Pixels, img.Width, img.Height, ColorComponents.RedGreenBlue, m);
        return m.ToArray();
    }

    internal static byte[] Jpeg(RgbImage img)
    {
        var m = new MemoryStream();
        new ImageWriter().WriteJpg(img.Pixels, img.Width, img.Height, ColorComponents.RedGreenBlue, m, 90);
        return m.ToArray();
    }

    private static string Refused(byte[] bytes, string name = "photo.png")
    {
        var e = Assert.Throws<InvalidDataException>(() => ImageFile.Decode(bytes, name));
        Assert.StartsWith($"{name}: cannot decode the image: ", e.Message);
        return e.Message;
    }

    [Fact]
    public void WholeImagesDecode()
    {
        var img = Picture();
        Assert.Equal(img.Pixels, ImageFile.Decode(Png(img)).Pixels);
        Assert.Equal(40, ImageFile.Decode(Jpeg(img)).Width);
    }

    [Fact]
    public void AGifMayBePaddedWithZerosAfterItsTrailerButNotCutShort()
    {
        // The classic 1×1 GIF89a (43 bytes), ending in the trailer 0x3B.
        byte[] gif = Convert.FromBase64String("R0lGODlhAQABAIAAAP///wAAACH5BAEAAAAALAAAAAABAAEAAAICRAEAOw==");
        Assert.Equal(1, ImageFile.Decode(gif, "dot.gif").Width);
        Assert.Equal(1, ImageFile.Decode([.. gif, 0, 0, 0, 0], "dot.gif").Width);
        Assert.Contains("truncated: the GIF has no trailer byte", Refused(gif[..^1], "dot.gif"));
    }

    [Theory]
    [InlineData(0.5)]
    [InlineData(0.9)]
    [InlineData(0.99)]
    public void TruncatedPngAndJpegAreErrorsNotGreyPictures(double kept)
    {
        var png = Png(Picture());
        var jpeg = Jpeg(Picture());
        // stb_image decodes both of these without complaint, filling the missing part with grey.
        Assert.Contains("truncated", Refused(png[..(int)(png.Length * kept)]));
        Assert.Contains("truncated: the JPEG", Refused(jpeg[..(int)(jpeg.Length * kept)], "photo.jpg"));
    }

    [Fact]
    public void ADamagedPngChunkFailsItsCrc()
    {
        var png = Png(Picture());
        png[png.Length / 2] ^= 0x10;   // inside IDAT
        Assert.Contains("the PNG's IDAT chunk fails its CRC", Refused(png));
    }

    [Fact]
    public void AHeaderClaimingHugeDimensionsIsRefusedBeforeDecoding()
    {
        var png = Png(Picture(2, 2));
        // Rewrite IHDR to claim 16,000 x 16,000 pixels (which stb_image would decode: it allows 1 GiB), fixing its CRC.
        BinaryPrimitives.WriteInt32BigEndian(png.AsSpan(16), 16_000);
        BinaryPrimitives.WriteInt32BigEndian(png.AsSpan(20), 16_000);
        BinaryPrimitives.WriteUInt32BigEndian(png.AsSpan(29), Crc32.HashToUInt32(png.AsSpan(12, 17)));
        long before = GC.GetAllocatedBytesForCurrentThread();
        string message = Refused(png);
        Assert.Contains("16000x16000 pixels would decode to 768,000,000 bytes, more than the 201,326,592-byte limit", message);
        Assert.True(GC.GetAllocatedBytesForCurrentThread() - before < 1 << 20, "refusing should allocate almost nothing");
    }

    [Fact]
    public void JpegWithAThumbnailBeforeItsScanStillNeedsItsOwnEnd()
    {
        var jpeg = Jpeg(Picture());
        // An APP1 segment holding a complete tiny JPEG (its own FF D9) right after SOI, as EXIF thumbnails are.
        var thumbnail = Jpeg(Picture(2, 2));
        var app1 = new byte[4 + thumbnail.Length];
        app1[0] = 0xFF; app1[1] = 0xE1;
        BinaryPrimitives.WriteUInt16BigEndian(app1.AsSpan(2), (ushort)(2 + thumbnail.Length));
        thumbnail.CopyTo(app1, 4);
        byte[] withThumbnail = [.. jpeg[..2], .. app1, .. jpeg[2..]];
        Assert.Equal(40, ImageFile.Decode(withThumbnail).Width);
        Assert.Contains("no end-of-image marker", Refused(withThumbnail[..^10], "photo.jpg"));
    }

    [Fact]
    public void AJpegCutInsideItsFirstSegmentIsRefusedAtOnce()
    {
        // Found by the fuzz tests: StbImageSharp's header reader seeked past the end of this 11-byte file and never returned.
        byte[] cut = [0xFF, 0xD8, 0xFF, 0xE0, 0x00, 0x10, (byte)'J', (byte)'F', (byte)'I', (byte)'F', 0x00];
        var decoding = Task.Run(() => Assert.Throws<InvalidDataException>(() => ImageFile.Decode(cut, "cut.jpg")));
        Assert.True(decoding.Wait(TimeSpan.FromSeconds(20)), "decoding a truncated JPEG header hangs");
        string dir = Path.Combine(Path.GetTempPath(), $"trilobite-cut-{Guid.NewGuid():N}");
        Directory.CreateDirectory(Path.Combine(dir, "a"));
        Directory.CreateDirectory(Path.Combine(dir, "b"));
        File.WriteAllBytes(Path.Combine(dir, "a", "cut.jpg"), cut);
        File.WriteAllBytes(Path.Combine(dir, "b", "whole.png"), Png(Picture()));
        try
        {
            var listing = Task.Run(() => Trilobite.Vision.Data.ImageFolder.Open(dir, new Trilobite.Vision.Data.ImageFolderOptions { Warnings = TextWriter.Null }));
            Assert.True(listing.Wait(TimeSpan.FromSeconds(20)), "listing a folder with a truncated JPEG hangs");
            Assert.Single(listing.Result.Files);
        }
        finally { Directory.Delete(dir, true); }
    }

    [Fact]
    public void LoadNamesTheFile()
    {
        string path = Path.Combine(Path.GetTempPath(), $"trilobite-truncated-{Guid.NewGuid():N}.png");
        var png = Png(Picture());
        File.WriteAllBytes(path, png[..(png.Length - 20)]);
        try { Assert.StartsWith(path + ": cannot decode the image: truncated", Assert.Throws<InvalidDataException>(() => ImageFile.Load(path)).Message); }
        finally { File.Delete(path); }
    }
}

/// <summary>Allocation is counted process-wide, so these run alone (after the parallel tests).</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class MemoryMeasuringCollection
{
    public const string Name = "Measures process-wide allocation";
}

[Collection(MemoryMeasuringCollection.Name)]
public sealed class DetectionMemoryTests
{
    [Fact]
    public void DetectionMemoryIsBoundedByTheWorkersTimesOneLevel()
    {
        // Each worker keeps one full-size level (the resized image and two int tables, 9 bytes a pixel). Buffers
        // made per Parallel.ForEach task, or left in the array pool, grew with every level instead.
        var gray = ImageIntegrityTests.Picture(1500, 1500).ToGray();
        var detector = new CascadeDetector(HaarCascade.FrontalFaceDefault());
        detector.DetectCandidates(gray, new DetectionOptions { MaxDegreeOfParallelism = 2 });   // compile the cascade first
        long before = GC.GetTotalAllocatedBytes(precise: true);
        detector.DetectCandidates(gray, new DetectionOptions { MaxDegreeOfParallelism = 2 });
        long allocated = GC.GetTotalAllocatedBytes(precise: true) - before;
        long bound = 2L * 9 * 1501 * 1501 + (8 << 20);
        Assert.True(allocated < bound, $"detection allocated {allocated:N0} bytes; bound {bound:N0}");
    }
}
