using System.CommandLine;
using Trilobite.Vision.ViolaJones;

namespace Trilobite.Cli.Commands;

/// <summary><c>trilobite faces photo.jpg [--cascade FILE] [--scale-factor 1.1] [--min-neighbors 3] [--out boxed.png]</c>: Viola–Jones face detection.</summary>
internal static class FacesCliCommand
{
    public static Command Create(ConsoleIO io)
    {
        var image = new Argument<string>("image") { Description = "A PNG or JPEG photograph." };
        var cascade = new Option<string?>("--cascade") { Description = "An OpenCV Haar cascade XML (default: the shipped frontalface_default)." };
        var scale = new Option<double>("--scale-factor") { Description = "Pyramid step between scales.", DefaultValueFactory = _ => 1.1 }.Range(1, 10, minExclusive: true);
        var neighbors = new Option<int>("--min-neighbors") { Description = "Detections needed to keep a box.", DefaultValueFactory = _ => 3 }.Range(0, 1000);
        var output = new Option<string?>("--out") { Description = "Write the image with the boxes drawn to this PNG." };
        var command = new Command("faces", "Find faces with a Viola–Jones cascade; prints one box per line: x y w h.") { image, cascade, scale, neighbors, output };
        command.SetAction(parse => FacesCommand.Run(parse.GetValue(image)!, parse.GetValue(cascade), parse.GetValue(scale),
            parse.GetValue(neighbors), parse.GetValue(output), io.Out, io.Error));
        return command;
    }
}
