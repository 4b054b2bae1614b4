using System.CommandLine;
using System.Globalization;
using Trilobite.Data;
using Trilobite.Vision.Imaging;

namespace Trilobite.Cli.Commands;

/// <summary>
/// <c>trilobite predict model.trilo digit.png</c>: prints the three most likely classes with their
/// probabilities. For a 28×28×1 model the picture is made MNIST-like (see <see cref="DigitImage"/>).
/// </summary>
internal static class PredictCommand
{
    public static Command Create(ConsoleIO io)
    {
        var file = new Argument<string>("file") { Description = "A model saved by train --save." };
        var image = new Argument<string>("image") { Description = "A PNG or JPEG picture." };
        var command = new Command("predict", "Classify an image with a saved model (top-3 classes).") { file, image };
        command.SetAction(parse => io.Guard(() =>
        {
            var net = Model.Load(parse.GetValue(file)!);
            var input = ImageInput(ImageFile.Load(parse.GetValue(image)!), net.InputShape);
            var probabilities = net.Predict(input).ToArray();
            foreach (int c in Enumerable.Range(0, probabilities.Length).OrderByDescending(i => probabilities[i]).Take(3))
            {
                string name = net.ClassNames is { } names && c < names.Count ? names[c] : c.ToString(CultureInfo.InvariantCulture);
                io.Out.WriteLine($"{name}: {probabilities[c].ToString("F4", CultureInfo.InvariantCulture)}");
            }
            return 0;
        }));
        return command;
    }

    /// <summary>A (1, H, W, C) batch for the model's input shape.</summary>
    internal static Tensor ImageInput(RgbImage picture, int[] shape)
    {
        if (shape.Length != 3 || shape[2] is not (1 or 3))
            throw new ArgumentException($"predict needs a model whose input is an image (height, width, 1 or 3 channels), but this one takes {ShapeText.WithBatch(shape)}.");
        if (shape is [28, 28, 1])
        {
            var gray = picture.ToGray();
            return Tensor.FromArray(DigitImage.ToMnist(gray.Pixels.Select(p => p / 255f).ToArray(), gray.Width, gray.Height), 1, 28, 28, 1);
        }
        if (shape[2] == 1)
        {
            var g = picture.ToGray().Resize(shape[1], shape[0]);
            return Tensor.FromArray(g.Pixels.Select(p => p / 255f).ToArray(), 1, shape[0], shape[1], 1);
        }
        var resized = new byte[shape[0] * shape[1] * 3];
        for (int ch = 0; ch < 3; ch++)
        {
            var plane = new byte[picture.Width * picture.Height];
            for (int i = 0; i < plane.Length; i++) plane[i] = picture.Pixels[i * 3 + ch];
            var scaled = new GrayImage(picture.Width, picture.Height, plane).Resize(shape[1], shape[0]);
            for (int i = 0; i < scaled.Pixels.Length; i++) resized[i * 3 + ch] = scaled.Pixels[i];
        }
        return Tensor.FromArray(resized.Select(p => p / 255f).ToArray(), 1, shape[0], shape[1], 3);
    }
}
