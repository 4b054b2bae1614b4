using Trilobite.Playground;

// dotnet run --project src/Trilobite.Playground [-- --port N] [--model FILE] [--urls URL]
return await PlaygroundServer.RunAsync(args, Console.Out);

/// <summary>The entry point, public for WebApplicationFactory in the tests.</summary>
public partial class Program;
