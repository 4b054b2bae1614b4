using System.CommandLine;
using System.Globalization;
using Trilobite.Data;
using Trilobite.Vision.Data;
using Trilobite.Vision.Imaging;

namespace Trilobite.Cli.Commands;

/// <summary>
/// <c>trilobite predict model.trilo digit.png</c>: prints the three most likely classes with their
/// probabilities (class names when the model was trained on an image folder). See <see cref="ImageInput"/> for
/// how the picture is prepared.
/// </summary>
internal static class PredictCommand
{
    public static Command Create(ConsoleIO io)
    {
        var file = new Argument<string>("file") { Description = "A model saved by train --save." };
        var image = new Argument<string>("image") { Description = "A PNG or JPEG picture." };
        var device = DeviceOption.Create();
        var command = new Command("predict", "Classify an image with a saved model (top-3 classes).") { file, image, device };
        command.SetAction(parse => io.Guard(() =>
        {
            using var where = DeviceOption.Use(parse.GetValue(device));
            var net = Model.Load(parse.GetValue(file)!, where.Device);
            var input = ImageInput(ImageFile.Load(parse.GetValue(image)!), net.InputShape, net.ClassNames);
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

    /// <summary>
    /// A (1, H, W, C) batch for the model's input shape. A digit classifier (28×28×1, classes 0–9 or unnamed) gets
    /// the picture made MNIST-like (dark ink on white inverted, cropped, 20×20 centred by mass in a 28×28 frame);
    /// any other model gets the image-folder pipeline's preprocessing (resize, colour conversion, scaling), which
    /// is also how Fashion-MNIST's files read.
    /// </summary>
    internal static Tensor ImageInput(RgbImage picture, int[] shape, IReadOnlyList<string>? classNames)
    {
        if (shape.Length != 3 || shape[2] is not (1 or 3))
            throw new ArgumentException($"predict needs a model whose input is an image (height, width, 1 or 3 channels), but this one takes {ShapeText.WithBatch(shape)}.");
        if (shape is [28, 28, 1] && (classNames == null || classNames.SequenceEqual(Mnist.ClassNames)))
        {
            var gray = picture.ToGray();
            return Tensor.FromArray(DigitImage.ToMnist(gray.Pixels.Select(p => p / 255f).ToArray(), gray.Width, gray.Height), [1, 28, 28, 1], Device.Cpu);
        }
        return ImageSample.FromPicture(picture, shape[0], shape[1], shape[2] == 1 ? ColorMode.Grayscale : ColorMode.Rgb);
    }
}
