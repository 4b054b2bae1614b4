using System.Text;
using Trilobite.Testing;
using Trilobite.Vision.Imaging;
using Trilobite.Vision.ViolaJones;

namespace Trilobite.Vision.Tests.ViolaJones;

/// <summary>
/// Thousands of mutated cascade files and images (seeded <see cref="Mutator"/>, so a failure is reproducible): each
/// loads, or throws the documented exception naming the file (CascadeFormatException or NotSupportedException for
/// cascades, InvalidDataException for images), never another exception type, a crash or a hang. A detector built from a
/// cascade that still loads must run. See docs/RELIABILITY.md.
/// </summary>
public sealed class FuzzTests
{
    [Fact]
    public void CorruptedCascadesGiveClearErrors()
    {
        var mutator = new Mutator(11);
        var original = Encoding.UTF8.GetBytes(CascadeXmlReaderTests.Tiny);
        var image = new GrayImage(12, 12);
        mutator.Random.NextBytes(image.Pixels);
        int loaded = 0, trials = FuzzBudget.Inputs(2500);
        for (int t = 0; t < trials; t++)
        {
            var bytes = mutator.Bytes(original);
            HaarCascade? cascade = null;
            try { cascade = FuzzLimits.Within("cascade", t, bytes, () => HaarCascade.Load(new MemoryStream(bytes), $"fuzz{t}.xml")); }
            catch (CascadeFormatException e) { Assert.Contains($"fuzz{t}.xml", e.Message); }
            catch (NotSupportedException e) { Assert.Contains($"fuzz{t}.xml", e.Message); }
            if (cascade is not null)
            {
                loaded++;
                new CascadeDetector(cascade).DetectMultiScale(image, new DetectionOptions { MinNeighbors = 0 });
            }
        }
        Console.WriteLine($"cascade fuzzing: {trials:N0} inputs, {loaded:N0} loaded, {trials - loaded:N0} refused");
    }

    /// <summary>Inputs the 100,000-input runs found (ViolaJones/Corpus), kept so that they stay refused, cheaply.</summary>
    [Theory]
    [InlineData("bmp-declaring-40x1048606.bmp", "truncated: the BMP's 40x1048606 pixels need")]   // 126 MB allocated for 3.6 KB before
    public void ImagesThatOnceBrokeALimitAreRefusedWithinIt(string file, string expected)
    {
        var bytes = File.ReadAllBytes(Path.Combine(AppContext.BaseDirectory, "ViolaJones", "Corpus", file));
        var e = Assert.Throws<InvalidDataException>(() => FuzzLimits.Within("corpus", 0, bytes, () => ImageFile.Decode(bytes, file)));
        Assert.StartsWith($"{file}: cannot decode the image: {expected}", e.Message);
    }

    [SharedDataFact]
    public void CorruptedRealCascadeGivesClearErrors()
    {
        var mutator = new Mutator(12);
        var original = File.ReadAllBytes(SharedData.Path("haarcascades", "haarcascade_eye.xml"));
        for (int t = 0; t < 60; t++)
        {
            try { HaarCascade.Load(new MemoryStream(mutator.Bytes(original)), "eye-fuzz.xml"); }
            catch (CascadeFormatException e) { Assert.Contains("eye-fuzz.xml", e.Message); }
            catch (NotSupportedException e) { Assert.Contains("eye-fuzz.xml", e.Message); }
        }
    }

    [Fact]
    public void CorruptedImagesGiveClearErrors()
    {
        var mutator = new Mutator(13);
        var img = new RgbImage(40, 30, new byte[40 * 30 * 3]);
        mutator.Random.NextBytes(img.Pixels);
        var writer = new StbImageWriteSharp.ImageWriter();
        byte[] Encoded(Action<Stream> write) { var m = new MemoryStream(); write(m); return m.ToArray(); }
        const StbImageWriteSharp.ColorComponents Rgb = StbImageWriteSharp.ColorComponents.RedGreenBlue;
        var sources = new List<byte[]>
        {
            Encoded(s => writer.WritePng(img.Pixels, 40, 30, Rgb, s)),
            Encoded(s => writer.WriteJpg(img.Pixels, 40, 30, Rgb, s, 90)),
            Encoded(s => writer.WriteBmp(img.Pixels, 40, 30, Rgb, s)),
            Encoded(s => writer.WriteTga(img.Pixels, 40, 30, Rgb, s)),
        };
        if (SharedData.Directory is not null)
            sources.Add(File.ReadAllBytes(SharedData.Path("images", "grace_hopper.jpg")));
        int decoded = 0, rejected = 0, trials = FuzzBudget.Inputs(600 * sources.Count);
        for (int t = 0; t < trials; t++)
        {
            var bytes = mutator.Bytes(sources[t % sources.Count]);
            try
            {
                var rgb = FuzzLimits.Within("image", t, bytes, () => ImageFile.Decode(bytes, "fuzz.img"));
                Assert.Equal(rgb.Width * rgb.Height * 3, rgb.Pixels.Length);
                decoded++;
            }
            catch (InvalidDataException e)
            {
                Assert.StartsWith("fuzz.img: cannot decode", e.Message);
                Assert.DoesNotContain('\n', e.Message);
                rejected++;
            }
        }
        Console.WriteLine($"image fuzzing: {trials:N0} inputs, {decoded:N0} decoded, {rejected:N0} refused");
        Assert.True(rejected > trials / 4 && decoded + rejected == trials, $"{decoded} decoded, {rejected} rejected");   // BMP and TGA carry no checksum
    }
}
