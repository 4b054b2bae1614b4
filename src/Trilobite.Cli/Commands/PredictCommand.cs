using System.CommandLine;
using System.Globalization;
using Trilobite.Data;
using Trilobite.Vision.Data;
using Trilobite.Vision.Imaging;

namespace Trilobite.Cli.Commands;

/// <summary>
/// <c>trilobite predict model.trilo digit.png [more.png | FOLDER …] [--top-k 3]</c>: the most likely classes with their
/// probabilities (class names when the model has them). One picture prints one "class: probability" line per class;
/// several (or a folder, read in name order) print one line per picture. A picture of one flat colour gets a warning
/// (nothing to see, the answer is the model's bias); a file that cannot be read is reported and the others go on
/// (exit code 1 at the end). See <see cref="ImageInput"/> for how a picture is prepared.
/// <c>trilobite predict model input.npy --out output.npy</c> instead runs the model (.trilo or .onnx) on a NumPy float32
/// tensor (N, …the model's input shape, NHWC…) and writes its raw output, for comparison with another runtime.
/// </summary>
internal static class PredictCommand
{
    private static readonly string[] ImageExtensions = [".png", ".jpg", ".jpeg", ".bmp", ".gif"];

    public static Command Create(ConsoleIO io)
    {
        var file = new Argument<string>("file") { Description = "A model saved by train --save, or an .onnx file." };
        var images = new Argument<string[]>("images") { Description = "PNG, JPEG, BMP or GIF pictures, or folders of them; or one .npy tensor (with --out).", Arity = ArgumentArity.OneOrMore };
        var output = new Option<string>("--out") { Description = "With a .npy input: the .npy file for the model's raw output." };
        var topK = new Option<int>("--top-k") { Description = "How many of the most likely classes to print.", DefaultValueFactory = _ => 3 }.Range(1, 100_000);
        var device = DeviceOption.Create();
        var command = new Command("predict", "Classify pictures with a saved model (the top-k classes of each), or run it on a .npy tensor.") { file, images, topK, output, device };
        command.SetAction(parse => io.Guard(() =>
        {
            using var where = DeviceOption.Use(parse.GetValue(device));
            var net = ModelFiles.Load(parse.GetValue(file)!, where.Device);
            string[] inputs = parse.GetValue(images)!;
            if (inputs is [var single] && single.EndsWith(".npy", StringComparison.OrdinalIgnoreCase))
                return TensorPrediction(io, net, single, parse.GetValue(output) ?? throw new UsageException("predict with a .npy input needs --out FILE.npy for the output."));
            if (parse.GetValue(output) != null) throw new UsageException("--out goes with one .npy input; pictures print their classes.");
            var paths = Pictures(inputs);
            int k = Math.Min(parse.GetValue(topK), net.OutputShape[^1]);
            int failures = 0;
            foreach (string path in paths)
            {
                RgbImage picture;
                try { picture = ImageFile.Load(path); }
                catch (Exception e) when (paths.Count > 1 && e is IOException or InvalidDataException or NotSupportedException or UnauthorizedAccessException)
                {
                    io.Error.WriteLine($"error: {ErrorText.Of(e)}");
                    failures++;
                    continue;
                }
                if (IsBlank(picture))
                    io.Error.WriteLine($"warning: {path} is blank (every pixel the same colour); the prediction says nothing about a picture.");
                var top = TopClasses(net.Predict(ImageInput(picture, net.InputShape, net.ClassNames)).ToArray(), k, net.ClassNames);
                if (paths.Count == 1) foreach (var (name, p) in top) io.Out.WriteLine($"{name}: {Probability(p)}");
                else io.Out.WriteLine($"{path}: " + string.Join(", ", top.Select(t => $"{t.Name} ({Probability(t.P)})")));
            }
            return failures == 0 ? ExitCodes.Success : ExitCodes.Failure;
        }));
        return command;
    }

    /// <summary>The model's raw output on a .npy batch, written as .npy; the shapes are printed.</summary>
    private static int TensorPrediction(ConsoleIO io, Model net, string inputPath, string outputPath)
    {
        var x = NpyFile.ReadTensor(inputPath, net.Device);
        if (x.Rank != net.InputShape.Length + 1 || !x.ShapeArray[1..].SequenceEqual(net.InputShape))
            throw new InvalidDataException($"{inputPath}: shape ({string.Join(", ", x.ShapeArray)}) is not a batch of the model's input {ShapeText.WithBatch(net.InputShape)} (NHWC for images).");
        var y = net.Predict(x);
        NpyFile.Write(outputPath, y);
        io.Out.WriteLine($"Wrote {outputPath}: output ({string.Join(", ", y.ShapeArray)}) for input ({string.Join(", ", x.ShapeArray)}).");
        return ExitCodes.Success;
    }

    /// <summary>The files named, and the pictures inside the folders named (in ordinal name order, so runs compare line by line).</summary>
    internal static List<string> Pictures(IEnumerable<string> arguments)
    {
        var paths = new List<string>();
        foreach (string argument in arguments)
        {
            if (!Directory.Exists(argument)) { paths.Add(argument); continue; }
            var inside = Directory.EnumerateFiles(argument)
                .Where(f => ImageExtensions.Contains(Path.GetExtension(f), StringComparer.OrdinalIgnoreCase))
                .Order(StringComparer.Ordinal).ToList();
            if (inside.Count == 0)
                throw new FileNotFoundException($"{argument}: no pictures in this folder (expected {string.Join(", ", ImageExtensions)} files).");
            paths.AddRange(inside);
        }
        return paths;
    }

    /// <summary>The <paramref name="k"/> most likely classes, most likely first, by name when the model has names.</summary>
    internal static List<(string Name, float P)> TopClasses(float[] probabilities, int k, IReadOnlyList<string>? classNames) =>
        [.. Enumerable.Range(0, probabilities.Length).OrderByDescending(i => probabilities[i]).Take(k)
            .Select(c => (classNames is { } names && c < names.Count ? names[c] : c.ToString(CultureInfo.InvariantCulture), probabilities[c]))];

    /// <summary>One colour everywhere: an empty canvas, a failed scan, a solid-colour file.</summary>
    internal static bool IsBlank(RgbImage picture)
    {
        var pixels = picture.Pixels;
        for (int i = 3; i < pixels.Length; i++)
            if (pixels[i] != pixels[i % 3]) return false;
        return true;
    }

    private static string Probability(float p) => p.ToString("F4", CultureInfo.InvariantCulture);

    /// <summary>A (1, H, W, C) batch for the model's input shape: <see cref="ModelInput.FromPicture"/>, with the command's wording for a model that takes no images.</summary>
    internal static Tensor ImageInput(RgbImage picture, int[] shape, IReadOnlyList<string>? classNames) =>
        shape.Length == 3 && shape[2] is (1 or 3) ? ModelInput.FromPicture(picture, shape, classNames)
            : throw new ArgumentException($"predict needs a model whose input is an image (height, width, 1 or 3 channels), but this one takes {ShapeText.WithBatch(shape)}.");
}
