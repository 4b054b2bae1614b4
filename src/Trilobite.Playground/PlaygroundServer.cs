using System.Globalization;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http.Timeouts;
using Microsoft.Extensions.FileProviders;
using Trilobite.Playground.Api;
using Trilobite.Playground.Digits;
using Trilobite.Playground.Sessions;

namespace Trilobite.Playground;

/// <summary>
/// Builds and runs the playground web server: the static pages (embedded in this assembly), the
/// sessions API with Server-Sent Events and the draw-a-digit API. Binds http://127.0.0.1:5080 unless
/// <c>--port N</c> or <c>--urls …</c> says otherwise; <c>--model FILE</c> loads a saved classifier.
/// <code>PlaygroundServer.Run(port: 5080, modelPath: null, Console.Out);</code>
/// </summary>
public static class PlaygroundServer
{
    /// <summary>The port bound on 127.0.0.1 when neither <c>--port</c> nor <c>--urls</c> is given.</summary>
    public const int DefaultPort = 5080;

    /// <summary>The Host header values answered by default (ASP.NET host filtering; any port).</summary>
    public const string LoopbackHosts = "localhost;127.0.0.1;[::1]";

    private static readonly Dictionary<string, string> s_switches = new()
    {
        ["--model"] = "Playground:ModelPath",
        ["--port"] = "Playground:Port",
        ["--epochs"] = "Playground:TrainEpochs",
        ["--seed"] = "Playground:Seed",
    };

    /// <summary>The configured application, not yet started.</summary>
    public static WebApplication Build(string[] args)
    {
        var builder = WebApplication.CreateBuilder(args);
        builder.Configuration.AddCommandLine(args, s_switches);
        var config = builder.Configuration;
        string? port = config["Playground:Port"];
        if (port != null)
        {
            if (!int.TryParse(port, CultureInfo.InvariantCulture, out int p) || p < 0 || p > 65535)
                throw new ArgumentException($"--port must be a TCP port in [0, 65535], got '{port}'.");
            builder.WebHost.UseUrls($"http://127.0.0.1:{p}");
        }
        else if (string.IsNullOrEmpty(config["urls"]) && string.IsNullOrEmpty(config["ASPNETCORE_URLS"]))
        {
            builder.WebHost.UseUrls($"http://127.0.0.1:{DefaultPort}");
        }
        // DNS rebinding: a page from evil.example whose name later resolves to 127.0.0.1 sends "Host: evil.example".
        // Only loopback names are answered unless AllowedHosts names others (as for any ASP.NET app behind a real name);
        // "*", the ASP.NET template's value, counts as not configured: answering every Host name invites DNS rebinding.
        if (string.IsNullOrEmpty(config["AllowedHosts"]) || config["AllowedHosts"] == "*") config["AllowedHosts"] = LoopbackHosts;
        builder.Logging.AddFilter("Microsoft", LogLevel.Warning);
        builder.Services.ConfigureHttpJsonOptions(o => o.SerializerOptions.NumberHandling = JsonBody.ResponseOptions.NumberHandling);
        builder.Services.Configure<PlaygroundOptions>(config.GetSection("Playground"));
        builder.WebHost.ConfigureKestrel((context, kestrel) =>
        {
            kestrel.Limits.MaxRequestBodySize = context.Configuration.GetValue("Playground:MaxRequestBytes", 1L << 20);
            kestrel.Limits.MaxRequestHeadersTotalSize = 32 * 1024;
            kestrel.Limits.MaxConcurrentConnections = 512;
            kestrel.AddServerHeader = false;
        });
        builder.Services.AddSingleton(new SessionLimits());
        builder.Services.AddSingleton<SessionStore>();
        builder.Services.AddHostedService<SessionSweeper>();
        builder.Services.AddSingleton<DigitClassifier>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<DigitClassifier>());
        builder.Services.AddRequestTimeouts(o => o.DefaultPolicy = new RequestTimeoutPolicy { Timeout = TimeSpan.FromSeconds(30) });

        var app = builder.Build();
        var files = new EmbeddedFileProvider(typeof(PlaygroundServer).Assembly, "wwwroot");
        app.Use(async (context, next) =>
        {
            context.Response.Headers.XContentTypeOptions = "nosniff";
            context.Response.Headers["Referrer-Policy"] = "no-referrer";
            await next(context).ConfigureAwait(false);
        });
        app.UseApiErrors();
        app.UseRequestTimeouts();
        app.UseDefaultFiles(new DefaultFilesOptions { FileProvider = files });
        app.UseStaticFiles(new StaticFileOptions { FileProvider = files });
        app.MapGet("/draw", () => Results.Redirect("/draw.html"));
        app.MapGet("/api/health", () => Results.Ok(new { status = "ok" }));
        app.MapSessionEndpoints();
        app.MapDigitEndpoints();
        app.MapFallback("/api/{**rest}", (HttpContext c) => Results.Json(new { error = $"No API endpoint {c.Request.Method} {c.Request.Path}." }, statusCode: 404));
        return app;
    }

    /// <summary>
    /// Runs the server until Ctrl+C (or <paramref name="token"/>): the CLI's <c>trilobite playground</c>.
    /// Writes the address to <paramref name="output"/>. A missing model file fails before anything starts.
    /// </summary>
    public static int Run(int? port, string? modelPath, TextWriter output, CancellationToken token = default, int? trainEpochs = null)
    {
        var args = new List<string>();
        if (port != null) args.AddRange(["--port", port.Value.ToString(CultureInfo.InvariantCulture)]);
        if (modelPath != null)
        {
            if (!File.Exists(modelPath)) throw new FileNotFoundException($"Model file '{modelPath}' does not exist.", modelPath);
            args.AddRange(["--model", Path.GetFullPath(modelPath)]);
        }
        if (trainEpochs != null) args.AddRange(["--epochs", trainEpochs.Value.ToString(CultureInfo.InvariantCulture)]);
        return RunAsync(args.ToArray(), output, token).GetAwaiter().GetResult();
    }

    /// <summary>The addresses the started server listens on (with the real port when 0 was asked for).</summary>
    public static IReadOnlyList<string> Addresses(WebApplication app) =>
        app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()?.Addresses.ToList() ?? [.. app.Urls];

    /// <summary>Builds, starts, announces and waits for shutdown.</summary>
    public static async Task<int> RunAsync(string[] args, TextWriter output, CancellationToken token = default)
    {
        await using var app = Build(args);
        await app.StartAsync(token).ConfigureAwait(false);
        foreach (var url in Addresses(app))
            output.WriteLine($"Trilobite playground: {url}/  (draw a digit: {url}/draw.html) — Ctrl+C stops it.");
        if (app.Configuration["Playground:ModelPath"] is null)
            output.WriteLine("Training the digit classifier (LeNet) on the MNIST sample in the background; the draw page shows its progress.");
        await app.WaitForShutdownAsync(token).ConfigureAwait(false);
        return 0;
    }
}
