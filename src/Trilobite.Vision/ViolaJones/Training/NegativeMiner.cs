using Trilobite.Vision.Imaging;

namespace Trilobite.Vision.ViolaJones.Training;

/// <summary>
/// Cuts negative windows out of object-free images the way the detector sees them: a random pyramid level (the
/// image shrunk by a power of the scale factor with the detector's resize), a random window position, kept only if
/// the window can be evaluated (σ &gt; 10) and the cascade trained so far accepts it (a false alarm).
/// </summary>
internal sealed class NegativeMiner
{
    private readonly List<GrayImage> levels = [];
    private readonly int ww, wh;
    private readonly Random random;

    public NegativeMiner(IReadOnlyList<GrayImage> images, int windowWidth, int windowHeight, double scaleFactor, Random random)
    {
        ww = windowWidth;
        wh = windowHeight;
        this.random = random;
        foreach (var image in images)
        {
            for (double f = 1; ; f *= scaleFactor)
            {
                int w = (int)Math.Round(image.Width / f), h = (int)Math.Round(image.Height / f);
                if (w < ww || h < wh) break;
                levels.Add(f == 1 ? image : image.Resize(w, h));
            }
        }
        if (levels.Count == 0)
            throw new ArgumentException($"CascadeTrainer: no negative image is at least {ww}x{wh}.", nameof(images));
    }

    /// <summary>Fraction of tried windows that were kept in the last <see cref="Mine"/> call.</summary>
    public double LastAcceptance { get; private set; }

    /// <summary>Up to <paramref name="count"/> windows the cascade accepts; fewer when they become too rare (&lt; 1 in 10⁵ tries).</summary>
    public List<TrainingWindow> Mine(int count, CascadeDetector? cascade)
    {
        var found = new List<TrainingWindow>(count);
        long tries = 0, maxTries = Math.Max(100_000L, 200L * count);
        while (found.Count < count && tries < maxTries)
        {
            tries++;
            var level = levels[random.Next(levels.Count)];
            int x = random.Next(level.Width - ww + 1), y = random.Next(level.Height - wh + 1);
            var window = TrainingWindow.TryCreate(level.Crop(x, y, ww, wh));
            if (window is not null && (cascade is null || cascade.Accepts(window.Integral)))
                found.Add(window);
        }
        LastAcceptance = tries == 0 ? 0 : (double)found.Count / tries;
        return found;
    }
}
