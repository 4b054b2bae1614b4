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
        var command = new Command("show", "Draw what a trained network has learned: its filters, its activation maps for a picture, or a capsule network's reconstructions.");
        command.Subcommands.Add(Filters(io));
        command.Subcommands.Add(Activations(io));
        command.Subcommands.Add(Capsules(io));
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

    private static Command Capsules(ConsoleIO io)
    {
        var file = new Argument<string>("model") { Description = "A CapsNet saved by train capsnet --save." };
        var data = new Option<string?>("--data") { Description = "Folder with the four MNIST-format IDX files whose test digits to draw (default: the MNIST sample shipped with Trilobite)." };
        var output = PlotCommand.PictureOption("capsules.png");
        var command = new Command("capsules", "Draw a capsule network's reconstructions of one test digit per class, and what moving each dimension of a digit capsule does (Sabour et al., figure 4).") { file, data, output };
        command.SetAction(parse => io.Guard(() =>
        {
            string path = parse.GetValue(file)!;
            var net = Model.Load(path) as Zoo.CapsNet ?? throw new UsageException($"{path} is not a capsule network (train one with 'trilobite train capsnet').");
            var (_, test) = DataOptions.Load(parse.GetValue(data));
            if (!test.X.Shape[1..].SequenceEqual(net.InputShape))
                throw new UsageException($"The test images are {ShapeText.Of(test.X.ShapeArray[1..])}, but {path} takes {ShapeText.Of(net.InputShape)}.");
            float[] labels = test.Y.ArgMax(-1).ToArray();
            int[] firstOfEachClass = [.. Enumerable.Range(0, test.Y.Dim(1)).Select(c => Array.IndexOf(labels, (float)c)).Where(i => i >= 0)];
            var digits = Tensor.FromArray([.. firstOfEachClass.SelectMany(i => test.X.Slice(i, 1).ToArray())], [firstOfEachClass.Length, .. net.InputShape]);
            string picture = parse.GetValue(output)!;
            CapsuleChart.Save(net, digits, picture);
            io.Out.WriteLine($"Wrote {picture}: {firstOfEachClass.Length} test digits, their reconstructions, and 16 rows of one capsule's dimensions moved by -0.25 to +0.25.");
            return 0;
        }));
        return command;
    }

    private static Option<string?> LayerOption(string what) => new("--layer") { Description = $"Layer name, as summary prints it: {what}." };
}
