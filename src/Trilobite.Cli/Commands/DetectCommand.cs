using System.CommandLine;
using System.Globalization;
using Trilobite.Plotting;
using Trilobite.Vision.Data;
using Trilobite.Vision.Detection;
using Trilobite.Vision.Imaging;

namespace Trilobite.Cli.Commands;

/// <summary>
/// <c>trilobite detect MODEL image.png [--out boxed.png] [--min-score 0.3]</c>: the objects a detector finds, one line per
/// box ("class score x1 y1 x2 y2", pixels of the picture), and the picture with the boxes drawn and labelled.
/// </summary>
internal static class DetectCommand
{
    public static Command Create(ConsoleIO io)
    {
        var file = new Argument<string>("model") { Description = "A detector saved by 'train retinanet --save' or 'train yolo --save'." };
        var image = new Argument<string>("image") { Description = "A PNG, JPEG, BMP or GIF picture; resized to the detector's input." };
        var output = new Option<string?>("--out") { Description = "Also draw the boxes on the picture, to this PNG." };
        var minScore = new Option<double>("--min-score") { Description = "Print and draw only boxes scoring at least this.", DefaultValueFactory = _ => 0.3 }.Range(0, 1);
        var device = DeviceOption.Create();
        var command = new Command("detect", "Find objects in a picture with a trained detector: one line per box, and the boxes drawn.") { file, image, output, minScore, device };
        command.SetAction(parse => io.Guard(() =>
        {
            using var where = DeviceOption.Use(parse.GetValue(device));
            string modelPath = parse.GetValue(file)!;
            var net = Model.Load(modelPath, where.Device);
            if (!net.Metadata.ContainsKey(DetectorSpec.MetadataKey))
                throw new UsageException($"{modelPath} is not a detector (train one with 'trilobite train retinanet' or 'trilobite train yolo').");
            var detector = new ObjectDetector(net);
            var spec = detector.Spec;
            var picture = ImageFile.Load(parse.GetValue(image)!);
            var input = ImageSample.FromPicture(picture, spec.Input[0], spec.Input[1], spec.Input[2] == 1 ? ColorMode.Grayscale : ColorMode.Rgb);
            float sx = (float)picture.Width / spec.Input[1], sy = (float)picture.Height / spec.Input[0];
            var found = detector.Detect(input)[0].Where(d => d.Score >= parse.GetValue(minScore)).ToList();
            string F(float v) => v.ToString("F1", CultureInfo.InvariantCulture);
            foreach (var d in found)
                io.Out.WriteLine($"{spec.ClassNames[d.Label]} {d.Score.ToString("F3", CultureInfo.InvariantCulture)} {F(d.Box.X1 * sx)} {F(d.Box.Y1 * sy)} {F(d.Box.X2 * sx)} {F(d.Box.Y2 * sy)}");
            if (found.Count == 0)
                io.Error.WriteLine($"No object found: no box scored {parse.GetValue(minScore).ToString(CultureInfo.InvariantCulture)} or more (the detector keeps only scores above {detector.ScoreThreshold.ToString(CultureInfo.InvariantCulture)}).");
            if (parse.GetValue(output) is { } path)
            {
                float[] grey = input.ToArray();
                if (spec.Input[2] == 3) grey = [.. Enumerable.Range(0, grey.Length / 3).Select(p => (grey[3 * p] + grey[3 * p + 1] + grey[3 * p + 2]) / 3)];
                BoxesChart.Save(grey, spec.Input[0], spec.Input[1],
                    [.. found.Select(d => new BoxesChart.LabelledBox(d.Box.X1, d.Box.Y1, d.Box.X2, d.Box.Y2, d.Label, d.Score))], spec.ClassNames, path,
                    $"{Path.GetFileName(parse.GetValue(image))}: {found.Count} object{(found.Count == 1 ? "" : "s")}");
                io.Out.WriteLine($"Wrote {path}.");
            }
            return 0;
        }));
        return command;
    }
}
