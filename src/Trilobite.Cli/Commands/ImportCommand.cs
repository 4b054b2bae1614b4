using System.CommandLine;
using Trilobite.Onnx;

namespace Trilobite.Cli.Commands;

/// <summary><c>trilobite import model.onnx --save model.trilo</c>: reads an ONNX model into a Trilobite model, prints its summary and saves it.</summary>
internal static class ImportCommand
{
    public static Command Create(ConsoleIO io)
    {
        var file = new Argument<string>("onnx") { Description = "An ONNX model (opsets 7-17)." };
        var save = new Option<string>("--save") { Description = "Where to save the Trilobite model (.trilo).", Required = true };
        var command = new Command("import", "Read an ONNX model, print its summary and save it as a Trilobite model.") { file, save };
        command.SetAction(parse => io.Guard(() =>
        {
            var model = OnnxImporter.Load(parse.GetValue(file)!);
            model.Summary(io.Out);
            string path = parse.GetValue(save)!;
            model.Save(path);
            io.Out.WriteLine($"Saved {path}.");
            return ExitCodes.Success;
        }));
        return command;
    }
}
