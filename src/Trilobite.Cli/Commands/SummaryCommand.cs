using System.CommandLine;

namespace Trilobite.Cli.Commands;

/// <summary><c>trilobite summary lenet</c>: prints the Keras summary table of a named model or a saved model file.</summary>
internal static class SummaryCommand
{
    public static Command Create(ConsoleIO io)
    {
        var model = new Argument<string>("model") { Description = "A model name (" + string.Join(", ", ModelCatalog.Names) + ") a saved .trilo file, or an .onnx file." };
        var command = new Command("summary", "Print a model's layers, output shapes and parameter counts.") { model };
        command.SetAction(parse => io.Guard(() =>
        {
            string name = parse.GetValue(model)!;
            var m = File.Exists(name) ? ModelFiles.Load(name) : ModelCatalog.Build(name);
            m.Summary(io.Out);
            return 0;
        }));
        return command;
    }
}
