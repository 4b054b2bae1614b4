using Trilobite.Vision.Imaging;

namespace Trilobite.Vision.Tests.Imaging;

public sealed class ImagingTests
{
    [Fact]
    public void GreyIsOpenCvFixedPoint()
    {
        // (9798 R + 19235 G + 3735 B + 2^14) >> 15; values checked against cv2.cvtColor(BGR2GRAY) 4.6.
        var rgb = new RgbImage(3, 1, [255, 0, 0, 0, 255, 0, 10, 200, 30]);
        Assert.Equal([76, 150, 124], rgb.ToGray().Pixels);
    }

    [Fact]
    public void ResizeByTwoAveragesBlocksAndIdentityCopies()
    {
        var img = new GrayImage(4, 2, [0, 10, 20, 30, 40, 50, 60, 71]);
        // Exactly half size: every destination pixel is the rounded mean of a 2x2 block (OpenCV's INTER_AREA fast path).
        Assert.Equal([25, 45], img.Resize(2, 1).Pixels);   // (0+10+40+50+2)/4, (20+30+60+71+2)/4; as cv2.resize
        Assert.Equal(img.Pixels, img.Resize(4, 2).Pixels);
    }

    [Fact]
    public void PngRoundTrips()
    {
        var random = new Random(5);
        var img = new RgbImage(17, 9, new byte[17 * 9 * 3]);
        random.NextBytes(img.Pixels);
        var path = Path.Combine(Path.GetTempPath(), $"trilobite-png-{Environment.ProcessId}.png");
        ImageFile.SavePng(img, path);
        var back = ImageFile.Load(path);
        File.Delete(path);
        Assert.Equal(img.Pixels, back.Pixels);
    }
}
