using Trilobite.Data;
using Trilobite.Tests;
using Trilobite.Vision.Imaging;

namespace Trilobite.Onnx.Tests;

/// <summary>Real images for the agreement tests: MNIST test digits (shipped with the library) and the shared photographs.</summary>
public static class RealInputs
{
    private static readonly Lazy<LabeledImages> Digits = new(() => Mnist.LoadSample().Test);

    /// <summary><paramref name="count"/> test digits as (count, size, size, channels) in [0, 1], scaled from 28×28 by nearest neighbour, grey repeated per channel.</summary>
    public static Tensor DigitBatch(int count, int size = 28, int channels = 1)
    {
        var digits = Digits.Value;
        var data = new float[count * size * size * channels];
        for (int n = 0; n < count; n++)
            for (int y = 0; y < size; y++)
                for (int x = 0; x < size; x++)
                {
                    float v = digits.Pixels[(n * 28 + y * 28 / size) * 28 + x * 28 / size];
                    for (int c = 0; c < channels; c++) data[((n * size + y) * size + x) * channels + c] = v;
                }
        return Tensor.FromArray(data, count, size, size, channels);
    }

    /// <summary>The photographs in ../shared/data/images (null when absent), sorted by name.</summary>
    public static string[]? PhotoPaths()
    {
        string? folder = TestData.SharedData("images");
        return folder == null ? null : [.. Directory.GetFiles(folder).Where(f => f.EndsWith(".png") || f.EndsWith(".jpg")).Order(StringComparer.Ordinal)];
    }

    /// <summary>A photograph as (size, size, 3) RGB bytes 0–255 as floats: the centre square, bilinear-resized per channel.</summary>
    public static float[] Photo(string path, int size)
    {
        var image = ImageFile.Load(path);
        int side = Math.Min(image.Width, image.Height), x0 = (image.Width - side) / 2, y0 = (image.Height - side) / 2;
        var result = new float[size * size * 3];
        var plane = new byte[side * side];
        var resized = new byte[size * size];
        for (int c = 0; c < 3; c++)
        {
            for (int y = 0; y < side; y++)
                for (int x = 0; x < side; x++) plane[y * side + x] = image.Pixels[((y0 + y) * image.Width + x0 + x) * 3 + c];
            LinearResize.Resize(plane, side, side, resized, size, size);
            for (int i = 0; i < resized.Length; i++) result[i * 3 + c] = resized[i];
        }
        return result;
    }

    /// <summary>
    /// <paramref name="count"/> real 224-class images (N, size, size, 3) scaled to [0, 1]: the photographs (and their mirror
    /// images past five) when ../shared/data is there, else test digits.
    /// </summary>
    public static Tensor ImageBatch(int count, int size)
    {
        var photos = PhotoPaths();
        if (photos is not { Length: > 0 }) return DigitBatch(count, size, 3);
        var data = new float[count * size * size * 3];
        for (int n = 0; n < count; n++)
        {
            var photo = Photo(photos[n % photos.Length], size);
            bool mirror = n >= photos.Length;
            for (int y = 0; y < size; y++)
                for (int x = 0; x < size; x++)
                    for (int c = 0; c < 3; c++)
                        data[((n * size + y) * size + x) * 3 + c] = photo[(y * size + (mirror ? size - 1 - x : x)) * 3 + c] / 255f;
        }
        return Tensor.FromArray(data, count, size, size, 3);
    }
}
