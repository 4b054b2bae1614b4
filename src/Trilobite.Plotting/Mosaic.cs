namespace Trilobite.Plotting;

/// <summary>
/// Small maps (filters, activation channels) laid out on a grid in one array for a single heatmap, each scaled on its
/// own (a filter's pattern matters, not its size next to the others), with one NaN cell between them that draws as the
/// background.
/// </summary>
internal static class Mosaic
{
    /// <summary>
    /// Maps of <paramref name="height"/> × <paramref name="width"/> values (row-major) in a grid of <paramref name="columns"/>:
    /// with <paramref name="symmetric"/> each is divided by its largest magnitude (to [−1, 1], zero stays zero), otherwise
    /// stretched from its minimum to its maximum (to [0, 1]). A constant map is all zero.
    /// </summary>
    public static double[,] Arrange(IReadOnlyList<float[]> maps, int height, int width, int columns, bool symmetric)
    {
        int rows = (maps.Count + columns - 1) / columns;
        var grid = new double[rows * (height + 1) - 1, columns * (width + 1) - 1];
        for (int r = 0; r < grid.GetLength(0); r++)
            for (int c = 0; c < grid.GetLength(1); c++) grid[r, c] = double.NaN;
        for (int m = 0; m < maps.Count; m++)
        {
            var map = maps[m];
            float lo = map.Min(), hi = map.Max(), magnitude = Math.Max(Math.Abs(lo), Math.Abs(hi));
            int top = m / columns * (height + 1), left = m % columns * (width + 1);
            for (int y = 0; y < height; y++)
                for (int x = 0; x < width; x++)
                {
                    float v = map[y * width + x];
                    grid[top + y, left + x] = symmetric
                        ? (magnitude > 0 ? v / magnitude : 0)
                        : (hi > lo ? (v - lo) / (hi - lo) : 0);
                }
        }
        return grid;
    }

    /// <summary>Columns for a near-square grid of <paramref name="count"/> maps that are wider than tall when they cannot be square.</summary>
    public static int Columns(int count) => Math.Max(1, (int)Math.Ceiling(Math.Sqrt(count)));
}
