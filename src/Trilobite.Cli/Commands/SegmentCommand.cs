using System.CommandLine;
using System.Globalization;
using Trilobite.Plotting;
using Trilobite.Vision.Data;
using Trilobite.Vision.Imaging;

namespace Trilobite.Cli.Commands;

/// <summary>
/// <c>trilobite segment MODEL image.png --out mask.png [--overlay overlay.png]</c>: one class per pixel from a segmentation
/// model (trained by <c>train unet</c>). Writes the coloured mask at the picture's size (background black, the classes in
/// <see cref="SegmentationChart.ColorOf"/>'s colours) and a picture of the mask over the input with a legend; prints each
/// class found with its share of the pixels.
/// </summary>
internal static class SegmentCommand
{
    public static Command Create(ConsoleIO io)
    {
        var file = new Argument<string>("model") { Description = "A segmentation model saved by 'train unet --save'." };
        var image = new Argument<string>("image") { Description = "A PNG, JPEG, BMP or GIF picture; resized to the model's input (for example a scene from 'trilobite scenes')." };
        var output = PlotCommand.PictureOption("mask.png");
        output.Description = "The coloured mask to write (PNG, the picture's size; one colour per class, background black).";
        var overlay = new Option<string?>("--overlay") { Description = "The mask over the picture, with a legend of the classes (default: the --out name with .overlay.png)." };
        var device = DeviceOption.Create();
        var command = new Command("segment", "Label every pixel of a picture with a segmentation model; write a coloured mask and an overlay with a legend.")
        { file, image, output, overlay, device };
        command.SetAction(parse => io.Guard(() =>
        {
            using var where = DeviceOption.Use(parse.GetValue(device));
            string modelPath = parse.GetValue(file)!, imagePath = parse.GetValue(image)!, maskPath = parse.GetValue(output)!;
            string overlayPath = parse.GetValue(overlay) ?? Path.ChangeExtension(maskPath, null) + ".overlay.png";
            if (!maskPath.EndsWith(".png", StringComparison.OrdinalIgnoreCase))
                throw new UsageException($"--out {maskPath}: the mask is written as PNG; name the file *.png.");
            if (Path.GetFullPath(overlayPath) == Path.GetFullPath(maskPath))
                throw new UsageException($"--overlay {overlayPath} is the --out file too; name another file.");
            var net = Model.Load(modelPath, where.Device);
            var (height, width, classes) = Shape(net, modelPath);
            var picture = ImageFile.Load(imagePath);
            var input = ImageSample.FromPicture(picture, height, width, net.InputShape[2] == 1 ? ColorMode.Grayscale : ColorMode.Rgb);
            int[] labels = ArgMax(net.Predict(input, 1).ToArray(), classes);
            var names = ClassNames(net, classes);

            int[] atPictureSize = NearestResize(labels, width, height, picture.Width, picture.Height);
            ImageFile.SavePng(new RgbImage(picture.Width, picture.Height, SegmentationChart.ColoredMask(atPictureSize)), maskPath);
            SegmentationChart.Save(Grey(input.ToArray(), net.InputShape[2]), labels, height, width, names, overlayPath,
                $"{Path.GetFileName(imagePath)}: {net.Name}");

            io.Out.WriteLine($"Wrote {maskPath} ({picture.Width}×{picture.Height}) and {overlayPath}.");
            var counts = new long[classes];
            foreach (int c in labels) counts[c]++;
            for (int c = 0; c < classes; c++)
                if (counts[c] > 0)
                    io.Out.WriteLine($"{names[c]}: {(100.0 * counts[c] / labels.Length).ToString("F2", CultureInfo.InvariantCulture)} % of the pixels");
            return 0;
        }));
        return command;
    }

    /// <summary>The model's input size and class count; a usage error unless it maps an image to one class score per pixel.</summary>
    private static (int Height, int Width, int Classes) Shape(Model net, string path)
    {
        if (net.InputShape is not [int h, int w, 1 or 3] || net.OutputShape is not [int oh, int ow, int k] || oh != h || ow != w || k < 2)
            throw new UsageException($"{path} is not a segmentation model: segment needs an image input (height, width, 1 or 3 channels) and one score per class for every pixel of it, "
                + $"but this model maps {ShapeText.WithBatch(net.InputShape)} to {ShapeText.WithBatch(net.OutputShape)}.");
        return (h, w, k);
    }

    private static IReadOnlyList<string> ClassNames(Model net, int classes) =>
        net.ClassNames is { } names && names.Count == classes ? names
            : ["background", .. Enumerable.Range(1, classes - 1).Select(c => $"class {c}")];

    /// <summary>The most likely class of each pixel (the first on a tie) from row-major scores, <paramref name="classes"/> per pixel.</summary>
    internal static int[] ArgMax(float[] scores, int classes)
    {
        var labels = new int[scores.Length / classes];
        for (int p = 0; p < labels.Length; p++)
        {
            int best = 0;
            for (int c = 1; c < classes; c++) if (scores[p * classes + c] > scores[p * classes + best]) best = c;
            labels[p] = best;
        }
        return labels;
    }

    /// <summary>A class map resized by nearest neighbour (pixel centres), so every pixel keeps a class the model gave.</summary>
    internal static int[] NearestResize(int[] labels, int width, int height, int toWidth, int toHeight)
    {
        if (width == toWidth && height == toHeight) return labels;
        var resized = new int[toWidth * toHeight];
        for (int y = 0; y < toHeight; y++)
        {
            int sy = Math.Min(height - 1, (int)((y + 0.5) * height / toHeight));
            for (int x = 0; x < toWidth; x++)
                resized[y * toWidth + x] = labels[sy * width + Math.Min(width - 1, (int)((x + 0.5) * width / toWidth))];
        }
        return resized;
    }

    /// <summary>The model's input as one grey value per pixel (the mean of its channels).</summary>
    private static float[] Grey(float[] input, int channels)
    {
        if (channels == 1) return input;
        var grey = new float[input.Length / channels];
        for (int p = 0; p < grey.Length; p++) grey[p] = (input[3 * p] + input[3 * p + 1] + input[3 * p + 2]) / 3;
        return grey;
    }
}
