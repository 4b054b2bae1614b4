using ScottPlot;
using Trilobite.Zoo;

namespace Trilobite.Plotting;

/// <summary>
/// What a trained capsule network's digit capsules hold, as the paper draws it (Sabour et al. 2017, figures 3 and 4):
/// the first two rows are one test digit per class and the decoder's reconstruction of it from its longest capsule;
/// below them, for the first digit, each of the 16 dimensions of its capsule in turn is moved by −0.25 … +0.25 in steps
/// of 0.05 (one row per dimension) and decoded again — stroke thickness, skew and width appear as single dimensions.
/// </summary>
public static class CapsuleChart
{
    /// <summary>Perturbations of one capsule dimension, the paper's figure 4: −0.25 to 0.25 in steps of 0.05.</summary>
    public static readonly float[] Perturbations = [.. Enumerable.Range(-5, 11).Select(i => i * 0.05f)];

    /// <summary>
    /// Writes the chart for <paramref name="digits"/> (N, H, W, 1) to a PNG, atomically; the first digit's capsule is the
    /// one perturbed. Throws <see cref="ArgumentException"/> for no digits or pictures that are not single-channel.
    /// </summary>
    public static void Save(CapsNet net, Tensor digits, string path, int width = 900, int height = 1500) =>
        ChartFile.Save(path, width, height, Build(net, digits).GetImage);

    internal static Plot Build(CapsNet net, Tensor digits)
    {
        ArgumentNullException.ThrowIfNull(net);
        if (digits.Rank != 4 || digits.Dim(0) < 1 || digits.Dim(3) != 1)
            throw new ArgumentException($"CapsuleChart needs one or more single-channel pictures (N, height, width, 1), got {ShapeText.Of(digits.ShapeArray)}.");
        int n = digits.Dim(0), h = digits.Dim(1), w = digits.Dim(2), columns = Math.Max(n, Perturbations.Length);
        var capsules = net.DigitCapsules(digits);
        var reconstructions = net.Reconstruct(capsules).ToArray();
        float[] pictures = digits.ToArray();
        var tiles = new List<(int Row, int Column, float[] Pixels)>();
        for (int i = 0; i < n; i++)
        {
            tiles.Add((0, i, pictures[(i * h * w)..((i + 1) * h * w)]));
            tiles.Add((1, i, reconstructions[(i * h * w)..((i + 1) * h * w)]));
        }
        var first = capsules.Slice(0, 1);
        int predicted = (int)first.VectorNorm(-1).ArgMax(-1).ToArray()[0], dims = first.Dim(2), steps = Perturbations.Length;
        float[] original = first.ToArray(), moved = new float[dims * steps * original.Length];
        for (int d = 0; d < dims; d++)
            for (int p = 0; p < steps; p++)
            {
                int at = (d * steps + p) * original.Length;
                original.CopyTo(moved, at);
                moved[at + predicted * dims + d] += Perturbations[p];
            }
        // One batch of every perturbed capsule, masked by the class it belongs to.
        var labels = Tensor.FromArray(Enumerable.Repeat((float)predicted, dims * steps).ToArray(), dims * steps);
        float[] decoded = net.Reconstruct(Tensor.FromArray(moved, [dims * steps, .. first.ShapeArray[1..]]), labels).ToArray();
        for (int d = 0; d < dims; d++)
            for (int p = 0; p < steps; p++)
            {
                int at = (d * steps + p) * h * w;
                tiles.Add((3 + d, p, decoded[at..(at + h * w)]));
            }
        var grid = new double[(3 + dims) * (h + 1), columns * (w + 1)];
        for (int r = 0; r < grid.GetLength(0); r++)
            for (int c = 0; c < grid.GetLength(1); c++) grid[r, c] = double.NaN;
        foreach (var (row, column, pixels) in tiles)
            for (int y = 0; y < h; y++)
                for (int x = 0; x < w; x++) grid[row * (h + 1) + y, column * (w + 1) + x] = Math.Clamp(pixels[y * w + x], 0, 1);
        var plot = new Plot();
        var heatmap = plot.Add.Heatmap(grid);
        heatmap.Colormap = new ScottPlot.Colormaps.Grayscale();
        heatmap.ManualRange = new ScottPlot.Range(0, 1);
        heatmap.NaNCellColor = Colors.White;
        string name = net.ClassNames is { } names && predicted < names.Count ? names[predicted] : predicted.ToString(System.Globalization.CultureInfo.InvariantCulture);
        plot.Title($"Digits and reconstructions; below: capsule '{name}' of the first, its 16 dimensions each moved by −0.25…+0.25");
        plot.Axes.Frameless();
        plot.HideGrid();
        plot.Axes.SquareUnits();
        return plot;
    }
}
