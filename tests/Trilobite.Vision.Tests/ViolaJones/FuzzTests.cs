using System.Text;
using Trilobite.Vision.Imaging;
using Trilobite.Vision.ViolaJones;

namespace Trilobite.Vision.Tests.ViolaJones;

/// <summary>
/// Hundreds of randomly corrupted cascade files and images: each either loads or throws a clear exception
/// (FormatException/CascadeFormatException, NotSupportedException, InvalidDataException) — never another exception
/// type, a crash or a hang. A detector built from a cascade that still loads must run.
/// </summary>
public sealed class FuzzTests
{
    [Fact]
    public void CorruptedCascadesGiveClearErrors()
    {
        var random = new Random(11);
        var original = Encoding.UTF8.GetBytes(CascadeXmlReaderTests.Tiny);
        var image = new GrayImage(12, 12);
        random.NextBytes(image.Pixels);
        for (int t = 0; t < 600; t++)
        {
            var bytes = Corrupt(original, random);
            HaarCascade? cascade = null;
            try { cascade = HaarCascade.Load(new MemoryStream(bytes), $"fuzz{t}.xml"); }
            catch (CascadeFormatException e) { Assert.Contains($"fuzz{t}.xml", e.Message); }
            catch (NotSupportedException e) { Assert.Contains($"fuzz{t}.xml", e.Message); }
            if (cascade is not null)
                new CascadeDetector(cascade).DetectMultiScale(image, new DetectionOptions { MinNeighbors = 0 });
        }
    }

    [SharedDataFact]
    public void CorruptedRealCascadeGivesClearErrors()
    {
        var random = new Random(12);
        var original = File.ReadAllBytes(SharedData.Path("haarcascades", "haarcascade_eye.xml"));
        for (int t = 0; t < 60; t++)
        {
            try { HaarCascade.Load(new MemoryStream(Corrupt(original, random)), "eye-fuzz.xml"); }
            catch (CascadeFormatException e) { Assert.Contains("eye-fuzz.xml", e.Message); }
            catch (NotSupportedException e) { Assert.Contains("eye-fuzz.xml", e.Message); }
        }
    }

    [Fact]
    public void CorruptedImagesGiveClearErrors()
    {
        var random = new Random(13);
        var img = new RgbImage(40, 30, new byte[40 * 30 * 3]);
        random.NextBytes(img.Pixels);
        var path = Path.Combine(Path.GetTempPath(), $"trilobite-fuzz-{Environment.ProcessId}.png");
        ImageFile.SavePng(img, path);
        var png = File.ReadAllBytes(path);
        File.Delete(path);
        var sources = new List<byte[]> { png };
        if (SharedData.Directory is not null)
            sources.Add(File.ReadAllBytes(SharedData.Path("images", "grace_hopper.jpg")));
        int decoded = 0, rejected = 0;
        foreach (var source in sources)
        {
            for (int t = 0; t < 250; t++)
            {
                var bytes = Corrupt(source, random);
                try
                {
                    var rgb = ImageFile.Decode(bytes, "fuzz.img");
                    Assert.Equal(rgb.Width * rgb.Height * 3, rgb.Pixels.Length);
                    decoded++;
                }
                catch (InvalidDataException e)
                {
                    Assert.StartsWith("fuzz.img: cannot decode", e.Message);
                    rejected++;
                }
            }
        }
        Assert.True(rejected > 0 && decoded + rejected == 250 * sources.Count);
    }

    // Flip bytes, cut the tail, duplicate or delete a span: typical damage of files on disk or in transit.
    private static byte[] Corrupt(byte[] original, Random random)
    {
        var bytes = original.ToList();
        switch (random.Next(4))
        {
            case 0:
                for (int k = random.Next(1, 8); k > 0; k--) bytes[random.Next(bytes.Count)] = (byte)random.Next(256);
                break;
            case 1:
            {
                int cut = random.Next(1, bytes.Count);
                bytes.RemoveRange(cut, bytes.Count - cut);
                break;
            }
            case 2:
            {
                int start = random.Next(bytes.Count), len = Math.Min(random.Next(1, 64), bytes.Count - start);
                bytes.InsertRange(random.Next(bytes.Count), bytes.GetRange(start, len));
                break;
            }
            default:
            {
                int start = random.Next(bytes.Count), len = Math.Min(random.Next(1, 64), bytes.Count - start);
                bytes.RemoveRange(start, len);
                break;
            }
        }
        return bytes.ToArray();
    }
}
