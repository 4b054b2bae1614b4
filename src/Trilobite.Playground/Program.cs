namespace Trilobite.Playground;

/// <summary>
/// <c>dotnet run --project src/Trilobite.Playground [-- --port N] [--model FILE] [--urls URL]</c>.
/// A named class (not top-level statements) so that tools referencing this project, such as the
/// trilobite CLI, do not see a second global <c>Program</c>; tests use it as WebApplicationFactory's entry point.
/// </summary>
public sealed class Program
{
    private Program() { }

    /// <summary>Runs the playground server with <paramref name="args"/> until shutdown, writing its address to the console.</summary>
    public static Task<int> Main(string[] args) => PlaygroundServer.RunAsync(args, Console.Out);
}
