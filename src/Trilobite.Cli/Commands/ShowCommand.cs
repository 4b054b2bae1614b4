using System.CommandLine;
using Trilobite.Plotting;
using Trilobite.Vision.Imaging;

namespace Trilobite.Cli.Commands;

/// <summary>
/// <c>trilobite show filters MODEL --out f.png</c> and <c>trilobite show activations MODEL IMAGE --out a.png</c>: what a
/// trained network has learned, as pictures (a convolution's kernels; one layer's activation maps for one picture).
/// </summary>
internal static class ShowCommand
{
    public static Command Create(ConsoleIO io)
    {
        var command = new Command("show", "Draw what a trained network has learned: its filters, or its activation maps for a picture.");
        command.Subcommands.Add(Filters(io));
        command.Subcommands.Add(Activations(io));
        return command;
    }

    private static Command Filters(ConsoleIO io)
    {
        var file = new Argument<string>("model") { Description = "A model saved by train --save." };
        var layer = LayerOption("the Conv2D whose kernels to draw (default: the first)");
        var output = PlotCommand.PictureOption("filters.png");
        var command = new Command("filters", "Draw a convolution's kernels, one tile per filter (red positive, blue negative).") { file, layer, output };
        command.SetAction(parse => io.Guard(() =>
        {
            var net = Model.Load(parse.GetValue(file)!);
            string path = parse.GetValue(output)!;
            FilterChart.Save(net, path, parse.GetValue(layer));
            var conv = FilterChart.FindConvolution(net, parse.GetValue(layer));
            io.Out.WriteLine($"Wrote {path}: the {conv.Filters} filters of {conv.Name}.");
            return 0;
        }));
        return command;
    }

    private static Command Activations(ConsoleIO io)
    {
        var file = new Argument<string>("model") { Description = "A model saved by train --save." };
        var image = new Argument<string>("image") { Description = "A PNG or JPEG picture, prepared as predict prepares it." };
        var layer = LayerOption("the layer whose output to draw (default: the first Conv2D)");
        var output = PlotCommand.PictureOption("activations.png");
        var command = new Command("activations", "Draw one layer's activation maps for a picture, one grey tile per channel.") { file, image, layer, output };
        command.SetAction(parse => io.Guard(() =>
        {
            var net = Model.Load(parse.GetValue(file)!);
            var input = PredictCommand.ImageInput(ImageFile.Load(parse.GetValue(image)!), net.InputShape, net.ClassNames);
            string path = parse.GetValue(output)!;
            ActivationChart.Save(net, input, path, parse.GetValue(layer));
            io.Out.WriteLine($"Wrote {path}: the activation maps of {parse.GetValue(layer) ?? FilterChart.FindConvolution(net, null).Name}.");
            return 0;
        }));
        return command;
    }

    private static Option<string?> LayerOption(string what) => new("--layer") { Description = $"Layer name, as summary prints it: {what}." };
}
