using System.CommandLine;
using Trilobite.Onnx;

namespace Trilobite.Cli.Commands;

/// <summary><c>trilobite export model.trilo --onnx model.onnx [--nchw]</c>: writes a saved model as ONNX (opset 13) for ONNX Runtime and other tools.</summary>
internal static class ExportCommand
{
    public static Command Create(ConsoleIO io)
    {
        var file = new Argument<string>("model") { Description = "A model saved by train --save (or any .onnx, written again)." };
        var onnx = new Option<string>("--onnx") { Description = "The ONNX file to write.", Required = true };
        var nchw = new Option<bool>("--nchw") { Description = "Take and return images channels-first (N, C, H, W), as PyTorch does; the default is Trilobite's NHWC." };
        var command = new Command("export", "Write a saved model as ONNX (opset 13).") { file, onnx, nchw };
        command.SetAction(parse => io.Guard(() =>
        {
            var model = ModelFiles.Load(parse.GetValue(file)!);
            string path = parse.GetValue(onnx)!;
            bool channelsFirst = parse.GetValue(nchw);
            OnnxExporter.Export(model, path, new OnnxExportOptions { NchwInput = channelsFirst });
            int[] s = model.InputShape;
            string input = s.Length == 3 && channelsFirst ? $"(None, {s[2]}, {s[0]}, {s[1]}) NCHW" : ShapeText.WithBatch(s) + (s.Length == 3 ? " NHWC" : "");
            io.Out.WriteLine($"Wrote {path}: ONNX opset 13, input {input}, {model.ParameterCount:N0} parameters, {new FileInfo(path).Length:N0} bytes.");
            return ExitCodes.Success;
        }));
        return command;
    }
}
