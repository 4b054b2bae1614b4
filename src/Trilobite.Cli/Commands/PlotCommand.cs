using System.CommandLine;
using Trilobite.Plotting;

namespace Trilobite.Cli.Commands;

/// <summary><c>trilobite plot history.csv --out curves.png</c>: the learning curves of a <c>train --history</c> file, training against validation.</summary>
internal static class PlotCommand
{
    public static Command Create(ConsoleIO io)
    {
        var history = new Argument<string>("history") { Description = "A CSV written by train --history (or Keras's CSVLogger)." };
        var output = PictureOption("curves.png");
        var command = new Command("plot", "Draw loss and accuracy per epoch, training against validation, to a PNG.") { history, output };
        command.SetAction(parse => io.Guard(() =>
        {
            var curves = TrainingCurves.Load(parse.GetValue(history)!);
            string path = parse.GetValue(output)!;
            HistoryChart.Save(curves, path);
            io.Out.WriteLine($"Wrote {path}: {string.Join(", ", curves.Quantities)} over {curves.Epochs.Count} epoch(s).");
            return 0;
        }));
        return command;
    }

    /// <summary>--out FILE.png, required, shared by the commands that draw.</summary>
    internal static Option<string> PictureOption(string example) =>
        new("--out") { Description = $"The PNG to write (e.g. {example}).", Required = true };
}
