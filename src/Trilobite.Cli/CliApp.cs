using System.CommandLine;
using System.CommandLine.Parsing;
using Trilobite.Cli.Commands;

namespace Trilobite.Cli;

/// <summary>
/// The <c>trilobite</c> command line. Results go to stdout; a problem is one line on stderr ("error: …") and an exit
/// code that means the same in every command: <see cref="ExitCodes"/>.
/// </summary>
public static class CliApp
{
    /// <summary>Parses <paramref name="args"/> and runs the command, writing results to <paramref name="stdout"/> and problems to <paramref name="stderr"/>; returns an <see cref="ExitCodes"/> value.</summary>
    public static int Run(string[] args, TextWriter stdout, TextWriter stderr)
    {
        var io = new ConsoleIO(stdout, stderr);
        var root = new RootCommand("Trilobite: convolutional networks for .NET — train, inspect and apply the lecture's models.");
        root.Subcommands.Add(SummaryCommand.Create(io));
        root.Subcommands.Add(TrainCommand.Create(io));
        root.Subcommands.Add(EvaluateCommand.Create(io));
        root.Subcommands.Add(PredictCommand.Create(io));
        root.Subcommands.Add(ExportCommand.Create(io));
        root.Subcommands.Add(ImportCommand.Create(io));
        root.Subcommands.Add(ServeCommand.Create(io));
        root.Subcommands.Add(PlotCommand.Create(io));
        root.Subcommands.Add(ShowCommand.Create(io));
        root.Subcommands.Add(ScenesCommand.Create(io));
        root.Subcommands.Add(SegmentCommand.Create(io));
        root.Subcommands.Add(DetectCommand.Create(io));
        root.Subcommands.Add(FacesCliCommand.Create(io));
        root.Subcommands.Add(PlaygroundCommand.Create(io));
        var parse = root.Parse(args);
        if (parse.Errors.Count > 0)
        {
            // One line, not the 28 lines of help System.CommandLine prints by default.
            string command = parse.CommandResult.Command == root ? "trilobite" : $"trilobite {parse.CommandResult.Command.Name}";
            stderr.WriteLine($"error: {ParseErrors.Describe(ParseErrors.First(parse.Errors))} (see '{command} --help')");
            return ExitCodes.Usage;
        }
        return parse.Invoke(new InvocationConfiguration { Output = stdout, Error = stderr, EnableDefaultExceptionHandler = false });
    }
}

/// <summary>What the exit code of every command means.</summary>
public static class ExitCodes
{
    /// <summary>The command did what it was asked.</summary>
    public const int Success = 0;

    /// <summary>The work failed: a file is missing, unreadable or corrupt; training or detection could not run.</summary>
    public const int Failure = 1;

    /// <summary>The command line is wrong: an unknown option, a value outside its range, an unknown model or device.</summary>
    public const int Usage = 2;
}

/// <summary>A command line that cannot work, found by a command after parsing (an unknown model name, nothing left to train): exit code 2.</summary>
public sealed class UsageException(string message) : Exception(message);

/// <summary>Where a command writes, and the shared error handling: known failures become one line on stderr.</summary>
public sealed record ConsoleIO(TextWriter Out, TextWriter Error)
{
    /// <summary>Runs <paramref name="body"/>; a usage mistake or a known failure becomes one "error: …" line and its exit code, anything else (a bug) propagates.</summary>
    public int Guard(Func<int> body)
    {
        try { return body(); }
        catch (UsageException e)
        {
            Error.WriteLine($"error: {e.Message}");
            return ExitCodes.Usage;
        }
        catch (Exception e) when (e is IOException or InvalidDataException or ArgumentException or InvalidOperationException or UnauthorizedAccessException or NotSupportedException)
        {
            Error.WriteLine($"error: {ErrorText.Of(e)}");
            return ExitCodes.Failure;
        }
    }
}
