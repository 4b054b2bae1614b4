using Trilobite.Vision.Imaging;
using Trilobite.Vision.ViolaJones;

namespace Trilobite.Vision.Tests.ViolaJones.Training;

/// <summary>
/// Scenes made of real MNIST digits: a black canvas with a few digits pasted (at scale 1–1.3, not overlapping).
/// Ground truth is the pasted box of each target digit.
/// </summary>
internal static class DigitScenes
{
    public sealed record Scene(GrayImage Image, List<PixelRect> Targets);

    /// <param name="targets">digits of the class to find (one per scene, or none when empty).</param>
    /// <param name="others">digits of other classes; <paramref name="othersPerScene"/> of them per scene.</param>
    public static List<Scene> Make(int count, int size, IReadOnlyList<GrayImage> targets, IReadOnlyList<GrayImage> others,
        int othersPerScene, Random random)
    {
        var scenes = new List<Scene>(count);
        for (int s = 0; s < count; s++)
        {
            var canvas = new GrayImage(size, size);
            var placed = new List<PixelRect>();
            var truth = new List<PixelRect>();
            if (targets.Count > 0)
                truth.Add(Paste(canvas, targets[s % targets.Count], placed, random));
            for (int k = 0; k < othersPerScene; k++)
                Paste(canvas, others[random.Next(others.Count)], placed, random);
            scenes.Add(new Scene(canvas, truth));
        }
        return scenes;
    }

    private static PixelRect Paste(GrayImage canvas, GrayImage digit, List<PixelRect> placed, Random random)
    {
        for (int attempt = 0; ; attempt++)
        {
            int side = (int)Math.Round(28 * (1 + 0.3 * random.NextDouble()));
            int x = random.Next(canvas.Width - side + 1), y = random.Next(canvas.Height - side + 1);
            var box = new PixelRect(x, y, side, side);
            if (attempt < 100 && placed.Any(p => p.IoU(box) > 0 || Overlaps(p, box)))
                continue;
            var scaled = digit.Resize(side, side);
            for (int r = 0; r < side; r++)
                for (int c = 0; c < side; c++)
                    canvas[x + c, y + r] = Math.Max(canvas[x + c, y + r], scaled[c, r]);
            placed.Add(box);
            return box;
        }
    }

    private static bool Overlaps(PixelRect a, PixelRect b) =>
        a.X < b.Right && b.X < a.Right && a.Y < b.Bottom && b.Y < a.Bottom;
}
