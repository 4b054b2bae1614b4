using Trilobite.Vision.Imaging;
using Trilobite.Vision.ViolaJones;

namespace Trilobite.Vision.Tests.ViolaJones;

public sealed class IntegralImageTests
{
    [Fact]
    public void RectangleSumsMatchBruteForce()
    {
        var random = new Random(1);
        var img = new GrayImage(37, 23);
        random.NextBytes(img.Pixels);
        var ii = IntegralImage.Compute(img);
        for (int t = 0; t < 2000; t++)
        {
            int x = random.Next(img.Width), y = random.Next(img.Height);
            int w = random.Next(0, img.Width - x + 1), h = random.Next(0, img.Height - y + 1);
            long s = 0, q = 0;
            for (int r = y; r < y + h; r++)
                for (int c = x; c < x + w; c++) { s += img[c, r]; q += img[c, r] * img[c, r]; }
            Assert.Equal(s, ii.Sum(x, y, w, h));
            Assert.Equal(q, ii.SquareSum(x, y, w, h));
        }
    }

    [Fact]
    public void SquaredSumsStayExactPastInt32Overflow()
    {
        // 800 x 800 white: the whole-image sum of squares (1.6e11) wraps a 32-bit table; window sums stay exact.
        var img = new GrayImage(800, 800);
        Array.Fill(img.Pixels, (byte)255);
        var ii = IntegralImage.Compute(img);
        Assert.Equal(24u * 24 * 255 * 255, ii.SquareSum(770, 770, 24, 24));
        Assert.Equal(24 * 24 * 255, ii.Sum(770, 770, 24, 24));
    }

    [Fact]
    public void NormFactorIsOneOverAreaTimesStdOfTheInsetWindow()
    {
        var random = new Random(2);
        var img = new GrayImage(24, 24);
        random.NextBytes(img.Pixels);
        var ii = IntegralImage.Compute(img);
        Assert.True(ii.TryNormFactor(0, 0, 24, 24, out float nf));
        var inset = Enumerable.Range(1, 22).SelectMany(y => Enumerable.Range(1, 22).Select(x => (double)img[x, y])).ToArray();
        double mean = inset.Average(), std = Math.Sqrt(inset.Select(v => (v - mean) * (v - mean)).Average());
        Assert.Equal(1 / (22 * 22 * std), nf, 1e-9);

        var flat = new GrayImage(24, 24);
        Array.Fill(flat.Pixels, (byte)90);
        Assert.False(IntegralImage.Compute(flat).TryNormFactor(0, 0, 24, 24, out _));
    }
}
