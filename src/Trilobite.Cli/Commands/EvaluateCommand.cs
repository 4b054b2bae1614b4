using System.CommandLine;
using System.Globalization;

namespace Trilobite.Cli.Commands;

/// <summary><c>trilobite evaluate model.trilo [--data DIR]</c>: loss and accuracy on the test split.</summary>
internal static class EvaluateCommand
{
    public static Command Create(ConsoleIO io)
    {
        var file = new Argument<string>("file") { Description = "A model saved by train --save." };
        var data = new Option<string?>("--data") { Description = "Folder with the four MNIST-format IDX files (default: the shipped MNIST sample)." };
        var command = new Command("evaluate", "Evaluate a saved model on the test split.") { file, data };
        command.SetAction(parse => io.Guard(() =>
        {
            var net = Model.Load(parse.GetValue(file)!);
            if (net.Loss == null) net.Compile(Loss.CategoricalCrossentropy, new Adam(), [Metric.Accuracy]);
            var (_, test) = DataOptions.Load(parse.GetValue(data));
            foreach (var (key, value) in net.Evaluate(test.X, test.Y, 256))
                io.Out.WriteLine($"{key}: {value.ToString("F4", CultureInfo.InvariantCulture)}");
            return 0;
        }));
        return command;
    }
}
