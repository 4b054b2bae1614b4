using System.Text.Json;
using Trilobite.Vision.Imaging;
using Trilobite.Vision.ViolaJones;
using Xunit.Abstractions;

namespace Trilobite.Vision.Tests.ViolaJones;

/// <summary>
/// Boxes on the shared photographs agree with OpenCV 4.6's detectMultiScale (scale 1.1, min neighbours 3): same
/// count, each box IoU ≥ 0.9 with its counterpart. Golden boxes: Fixtures/opencv_boxes.json, produced by
/// bench/violajones/opencv_boxes.py (Debian 12 python3-opencv 4.6.0).
/// </summary>
public sealed class OpenCvAgreementTests(ITestOutputHelper output)
{
    public static TheoryData<string> Cascades => new()
    {
        "haarcascade_frontalface_default.xml", "haarcascade_frontalface_alt.xml", "haarcascade_eye.xml",
    };

    [SharedDataFact]
    public void FixtureCoversAllCascadesAndImages()
    {
        var golden = Golden();
        Assert.Equal(15, golden.Count);
    }

    [Theory]
    [MemberData(nameof(Cascades))]
    public void BoxesAgreeWithOpenCv(string cascadeName)
    {
        if (SharedData.Directory is null)
        {
            output.WriteLine("../shared/data is absent: skipped.");
            return;
        }
        var detector = new CascadeDetector(HaarCascade.Load(SharedData.Path("haarcascades", cascadeName)));
        foreach (var (image, expected) in Golden().Where(g => g.Cascade == cascadeName).Select(g => (g.Image, g.Boxes)))
        {
            var grey = ImageFile.Load(SharedData.Path("images", image)).ToGray();
            var actual = detector.DetectMultiScale(grey, new DetectionOptions { ScaleFactor = 1.1, MinNeighbors = 3 });
            output.WriteLine($"{cascadeName} {image}: ours [{string.Join("; ", actual)}] opencv [{string.Join("; ", expected)}]");
            Assert.True(expected.Count == actual.Count, $"{cascadeName} on {image}: OpenCV finds {expected.Count} boxes, we find {actual.Count}: [{string.Join("; ", actual)}] vs [{string.Join("; ", expected)}]");
            foreach (var e in expected)
            {
                double best = actual.Max(a => a.IoU(e));
                Assert.True(best >= 0.9, $"{cascadeName} on {image}: OpenCV box {e} has best IoU {best:F3} with ours [{string.Join("; ", actual)}]");
            }
        }
    }

    [SharedDataFact]
    public void NoFaceOnCoffee()
    {
        var grey = ImageFile.Load(SharedData.Path("images", "coffee.png")).ToGray();
        foreach (var name in new[] { "haarcascade_frontalface_default.xml", "haarcascade_frontalface_alt.xml" })
            Assert.Empty(new CascadeDetector(HaarCascade.Load(SharedData.Path("haarcascades", name))).DetectMultiScale(grey));
        Assert.Empty(new CascadeDetector(HaarCascade.FrontalFaceDefault()).DetectMultiScale(grey));
    }

    internal sealed record GoldenCase(string Cascade, string Image, List<PixelRect> Boxes);

    internal static List<GoldenCase> Golden()
    {
        var path = Path.Combine(AppContext.BaseDirectory, "ViolaJones", "Fixtures", "opencv_boxes.json");
        using var doc = JsonDocument.Parse(File.ReadAllText(path));
        return doc.RootElement.GetProperty("results").EnumerateArray().Select(r => new GoldenCase(
            r.GetProperty("cascade").GetString()!,
            r.GetProperty("image").GetString()!,
            r.GetProperty("boxes").EnumerateArray().Select(b =>
            {
                var v = b.EnumerateArray().Select(e => e.GetInt32()).ToArray();
                return new PixelRect(v[0], v[1], v[2], v[3]);
            }).ToList())).ToList();
    }
}
