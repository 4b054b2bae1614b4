using System.CommandLine;
using Trilobite.Cli.Commands;

namespace Trilobite.Cli;

/// <summary>
/// The <c>trilobite</c> command line. Every command writes results to stdout and errors to stderr as
/// one line ("error: …"), returning a non-zero exit code on failure.
/// </summary>
public static class CliApp
{
    public static int Run(string[] args, TextWriter stdout, TextWriter stderr)
    {
        var io = new ConsoleIO(stdout, stderr);
        var root = new RootCommand("Trilobite: convolutional networks for .NET — train, inspect and apply the lecture's models.");
        root.Subcommands.Add(SummaryCommand.Create(io));
        root.Subcommands.Add(TrainCommand.Create(io));
        root.Subcommands.Add(EvaluateCommand.Create(io));
        root.Subcommands.Add(PredictCommand.Create(io));
        root.Subcommands.Add(FacesCliCommand.Create(io));
        root.Subcommands.Add(PlaygroundCommand.Create(io));
        var parse = root.Parse(args);
        return parse.Invoke(new InvocationConfiguration { Output = stdout, Error = stderr, EnableDefaultExceptionHandler = false });
    }
}

/// <summary>Where a command writes, and the shared error handling: known failures become one line on stderr.</summary>
public sealed record ConsoleIO(TextWriter Out, TextWriter Error)
{
    public int Guard(Func<int> body)
    {
        try { return body(); }
        catch (Exception e) when (e is IOException or InvalidDataException or ArgumentException or InvalidOperationException or UnauthorizedAccessException or NotSupportedException)
        {
            Error.WriteLine($"error: {e.Message}");
            return e is FileNotFoundException or DirectoryNotFoundException ? 2 : 1;
        }
    }
}
