using System.CommandLine;
using Trilobite.Playground;

namespace Trilobite.Cli.Commands;

/// <summary>
/// <c>trilobite playground [--port N] [--model FILE]</c>: starts the web playground on 127.0.0.1
/// (TensorFlow-Playground-style training, draw a digit, what the network sees) until Ctrl+C.
/// </summary>
internal static class PlaygroundCommand
{
    public static Command Create(ConsoleIO io)
    {
        var port = new Option<int?>("--port") { Description = $"TCP port on 127.0.0.1 (default {PlaygroundServer.DefaultPort}; 0 picks a free one)." }.Range(0, 65535);
        var model = new Option<string?>("--model") { Description = "A digit classifier saved by train --save (default: train LeNet on the MNIST sample at start-up)." };
        var epochs = new Option<int?>("--epochs") { Description = "Epochs of start-up training when no --model is given (default 2)." }.Range(1, 50);
        var command = new Command("playground", "Start the web playground: train small networks live, draw a digit, see what the CNN sees.") { port, model, epochs };
        command.SetAction(parse => io.Guard(() =>
            PlaygroundServer.Run(parse.GetValue(port), parse.GetValue(model), io.Out, trainEpochs: parse.GetValue(epochs))));
        return command;
    }
}
