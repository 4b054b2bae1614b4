using System.CommandLine;
using System.Globalization;
using Trilobite.Plotting;

namespace Trilobite.Cli.Commands;

/// <summary><c>trilobite evaluate model.trilo [--data DIR] [--confusion FILE.png]</c>: loss and accuracy on the test split of IDX files, or on a folder of class subfolders, and the confusion matrix as a picture.</summary>
internal static class EvaluateCommand
{
    public static Command Create(ConsoleIO io)
    {
        var file = new Argument<string>("file") { Description = "A model saved by train --save." };
        var data = new Option<string?>("--data") { Description = "Folder with the four MNIST-format IDX files (its test split is used; default: the shipped MNIST sample), or with one subfolder of images per class (every image is used)." };
        var confusion = new Option<string?>("--confusion") { Description = "Also draw the confusion matrix (true against predicted class) to this PNG." };
        var device = DeviceOption.Create();
        var command = new Command("evaluate", "Evaluate a saved model on the test split.") { file, data, confusion, device };
        command.SetAction(parse => io.Guard(() =>
        {
            using var where = DeviceOption.Use(parse.GetValue(device));
            var net = Model.Load(parse.GetValue(file)!, where.Device);
            if (net.Loss == null) net.Compile(ModelCatalog.LossFor(net), new Adam(), [Metric.Accuracy]);
            string? directory = parse.GetValue(data);
            if (net.Metadata.ContainsKey(Vision.Detection.DetectorSpec.MetadataKey))
            {
                if (directory == null) throw new UsageException("evaluate needs --data DIR for a detector (a COCO-format folder, e.g. written by 'trilobite scenes --digits test').");
                DetectionTraining.Evaluate(io, net, directory);
                return 0;
            }
            if (net.OutputShape.Length == 3)
            {
                // A segmentation model: one class per pixel, scored on a scene folder's masks.
                if (directory == null) throw new UsageException("evaluate needs --data SCENES for a segmentation model (a folder written by 'trilobite scenes --digits test').");
                SegmentationTraining.Print(io, SegmentationTraining.Measure(net, Vision.Scenes.SceneMasks.Load(directory)));
                return 0;
            }
            Dictionary<string, double> results;
            ConfusionMatrix? matrix = null;
            string? picture = parse.GetValue(confusion);
            if (DataOptions.IsImageFolder(directory))
                (results, matrix) = ImageTraining.Evaluate(io, net, directory!, withConfusion: picture != null);
            else
            {
                var (_, test) = DataOptions.Load(directory);
                results = net.Evaluate(test.X, test.Y, 256);
                if (picture != null) matrix = ConfusionMatrix.Of(net, test);
            }
            foreach (var (key, value) in results)
                io.Out.WriteLine($"{key}: {(key.EndsWith("loss", StringComparison.Ordinal) ? LossText.Of(value) : value.ToString("F4", CultureInfo.InvariantCulture))}");
            if (matrix != null)
            {
                ConfusionMatrixChart.Save(matrix, picture!);
                io.Out.WriteLine($"Wrote {picture}: the confusion matrix of {matrix.Total} samples.");
            }
            return 0;
        }));
        return command;
    }
}
