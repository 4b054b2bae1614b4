using ScottPlot;
using Trilobite.Serialization;

namespace Trilobite.Plotting;

/// <summary>Pictures are written as every Trilobite file is, atomically (<see cref="AtomicFile"/>): a reader never sees half a PNG.</summary>
internal static class ChartFile
{
    /// <summary>Renders <paramref name="chart"/> at <paramref name="width"/> × <paramref name="height"/> and writes it to <paramref name="path"/> (*.png).</summary>
    public static void Save(string path, int width, int height, Func<int, int, Image> chart)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        if (!path.EndsWith(".png", StringComparison.OrdinalIgnoreCase))
            throw new ArgumentException($"{path}: pictures are written as PNG; name the file *.png.");
        if (width is < 64 or > 8192 || height is < 64 or > 8192)
            throw new ArgumentOutOfRangeException(nameof(width), $"A picture is 64 to 8192 pixels each way, got {width}×{height}.");
        using var image = chart(width, height);
        byte[] png = image.GetImageBytes(ImageFormat.Png);
        AtomicFile.Write(path, stream => stream.Write(png));
    }
}
