using System.CommandLine;
using System.Globalization;

namespace Trilobite.Cli.Commands;

/// <summary><c>trilobite evaluate model.trilo [--data DIR]</c>: loss and accuracy on the test split of IDX files, or on a folder of class subfolders.</summary>
internal static class EvaluateCommand
{
    public static Command Create(ConsoleIO io)
    {
        var file = new Argument<string>("file") { Description = "A model saved by train --save." };
        var data = new Option<string?>("--data") { Description = "Folder with the four MNIST-format IDX files (its test split is used; default: the shipped MNIST sample), or with one subfolder of images per class (every image is used)." };
        var device = DeviceOption.Create();
        var command = new Command("evaluate", "Evaluate a saved model on the test split.") { file, data, device };
        command.SetAction(parse => io.Guard(() =>
        {
            using var where = DeviceOption.Use(parse.GetValue(device));
            var net = Model.Load(parse.GetValue(file)!, where.Device);
            if (net.Loss == null) net.Compile(Loss.CategoricalCrossentropy, new Adam(), [Metric.Accuracy]);
            string? directory = parse.GetValue(data);
            Dictionary<string, double> results;
            if (DataOptions.IsImageFolder(directory)) results = ImageTraining.Evaluate(io, net, directory!);
            else
            {
                var (_, test) = DataOptions.Load(directory);
                results = net.Evaluate(test.X, test.Y, 256);
            }
            foreach (var (key, value) in results)
                io.Out.WriteLine($"{key}: {value.ToString("F4", CultureInfo.InvariantCulture)}");
            return 0;
        }));
        return command;
    }
}
