using System.Diagnostics;
using System.Net;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Prometheus;

namespace Trilobite.Serving;

/// <summary>
/// An HTTP server answering questions to one model:
/// <c>POST /v1/predict</c> (a picture or a JSON tensor; the answer is JSON: top classes, boxes, or a mask PNG),
/// <c>GET /v1/model</c>, <c>GET /healthz</c> and <c>GET /metrics</c> (Prometheus text format). Concurrent requests share
/// forward passes (<see cref="MicroBatcher"/>); a full queue answers 503 with Retry-After; a request over its time gets
/// 504; bad input gets 400/413/415 with a one-line JSON error. Binds loopback unless another address is asked for.
/// <code>await using var server = await InferenceServer.StartAsync(Model.Load("lenet.trilo"), new ServeOptions { Port = 8080 });</code>
/// </summary>
public sealed class InferenceServer : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly MicroBatcher _batcher;
    private int _stopped;

    private InferenceServer(WebApplication app, MicroBatcher batcher, ServedModel served)
    {
        (_app, _batcher) = (app, batcher);
        Kind = served.Kind;
    }

    /// <summary>The longest the warm-up may delay the start (<see cref="ServeOptions.WarmupPasses"/>).</summary>
    private static readonly TimeSpan WarmupBudget = TimeSpan.FromSeconds(5);

    /// <summary>The address the server listens on (with the port chosen when <see cref="ServeOptions.Port"/> was 0).</summary>
    public Uri Address { get; private set; } = new("http://127.0.0.1/");

    /// <summary>Requests arrived and not yet answered (for tests of shutdown).</summary>
    internal int InFlight => _batcher.InFlight;

    /// <summary>What the model answers: "classifier", "detector", "segmentation" or "tensor".</summary>
    public string Kind { get; }

    /// <summary>Starts serving <paramref name="model"/>; throws <see cref="ArgumentOutOfRangeException"/> for an option out of range and <see cref="IOException"/> when the address cannot be bound.</summary>
    public static async Task<InferenceServer> StartAsync(Model model, ServeOptions? options = null, string? modelName = null)
    {
        ArgumentNullException.ThrowIfNull(model);
        options ??= new ServeOptions();
        options.Validate();
        if (!IPAddress.TryParse(options.Host, out var address)) throw new ArgumentException($"--host '{options.Host}' is not an IP address (127.0.0.1 serves this machine only; 0.0.0.0 every network).");
        var served = ServedModel.For(model, options.TopK);
        served.WarmUp(options.WarmupPasses, options.MaxBatch, WarmupBudget);
        var metrics = new ServingMetrics(options.MaxBatch);
        var batcher = new MicroBatcher(served, options, metrics);

        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(k =>
        {
            k.Limits.MaxRequestBodySize = options.MaxBodyBytes;
            k.Listen(address, options.Port);
        });
        builder.Services.Configure<HostOptions>(o => o.ShutdownTimeout = TimeSpan.FromMilliseconds(options.RequestTimeoutMs + 5000));
        var app = builder.Build();
        var server = new InferenceServer(app, batcher, served);
        string name = modelName ?? model.Name;
        app.MapGet("/healthz", () => Results.Text("ok\n"));
        app.MapGet("/v1/model", () => Results.Json(Describe(model, served, name, options)));
        app.MapPost("/v1/predict", (HttpContext context) => server.PredictAsync(context, model, served, options, metrics));
        app.MapMetrics("/metrics", metrics.Registry);
        try { await app.StartAsync(); }
        catch (Exception e) when (e is IOException or System.Net.Sockets.SocketException or InvalidOperationException)
        {
            await batcher.DrainAsync();
            throw new IOException($"cannot listen on {options.Host}:{options.Port}: {e.Message}", e);
        }
        var bound = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        server.Address = new Uri(bound.Replace("[::]", "127.0.0.1", StringComparison.Ordinal));
        return server;
    }

    private async Task PredictAsync(HttpContext context, Model model, ServedModel served, ServeOptions options, ServingMetrics metrics)
    {
        var clock = Stopwatch.StartNew();
        int status;
        _batcher.Arrive();
        try
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted);
            timeout.CancelAfter(options.RequestTimeoutMs);
            var (input, picture) = await RequestReader.ReadAsync(context.Request, model, options, timeout.Token);
            var item = new MicroBatcher.WorkItem(input) { Abandoned = timeout.Token };
            if (!_batcher.TryEnqueue(item))
            {
                metrics.Rejected.Inc();
                context.Response.Headers.RetryAfter = "1";
                throw new RequestException(503, $"the server is busy: {options.MaxQueue} requests are waiting; retry in a second.");
            }
            object result;
            try { result = await item.Result.Task.WaitAsync(timeout.Token); }
            catch (OperationCanceledException) when (!context.RequestAborted.IsCancellationRequested)
            {
                throw new RequestException(504, $"no answer within {options.RequestTimeoutMs} ms.");
            }
            var answer = served.Answer(result, picture);
            answer["model"] = model.Name;
            status = 200;
            await context.Response.WriteAsJsonAsync(answer, context.RequestAborted);
        }
        catch (RequestException e)
        {
            status = e.Status;
            await Error(context, e.Status, e.Message);
        }
        catch (BadHttpRequestException e)
        {
            status = e.StatusCode;
            await Error(context, e.StatusCode, e.StatusCode == 413 ? $"the body is larger than {options.MaxBodyBytes:N0} bytes." : "the request could not be read.");
        }
        catch (OperationCanceledException) when (context.RequestAborted.IsCancellationRequested)
        {
            status = 499;   // the client left; nothing to write
        }
        catch (Exception e) when (e is InvalidDataException or IOException && !context.RequestAborted.IsCancellationRequested)
        {
            status = 400;   // a malformed multipart body, a body cut short
            await Error(context, 400, $"the request could not be read: {e.Message.Split('\n')[0]}");
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            status = 500;
            await Error(context, 500, $"the model could not answer: {e.Message.Split('\n')[0]}");
        }
        finally { _batcher.Leave(); }
        metrics.Requests.WithLabels(status.ToString(System.Globalization.CultureInfo.InvariantCulture)).Inc();
        if (status >= 400) metrics.Errors.Inc();
        metrics.Latency.Observe(clock.Elapsed.TotalSeconds);
    }

    private static async Task Error(HttpContext context, int status, string message)
    {
        if (context.Response.HasStarted) return;
        context.Response.StatusCode = status;
        await context.Response.WriteAsJsonAsync(new JsonObject { ["error"] = message });
    }

    private static JsonObject Describe(Model model, ServedModel served, string name, ServeOptions options) => new()
    {
        ["name"] = name,
        ["kind"] = served.Kind,
        ["input_shape"] = new JsonArray([.. model.InputShape.Select(d => (JsonNode)d)]),
        ["output_shape"] = new JsonArray([.. model.OutputShape.Select(d => (JsonNode)d)]),
        ["classes"] = model.ClassNames is { } names ? new JsonArray([.. names.Select(n => (JsonNode)n)]) : null,
        ["parameters"] = model.ParameterCount,
        ["summary"] = model.SummaryText(),
        ["max_batch"] = options.MaxBatch,
        ["max_wait_ms"] = options.MaxWaitMs,
        ["max_queue"] = options.MaxQueue,
    };

    /// <summary>Stops gracefully: no new connections; requests in flight and queued are answered first.</summary>
    public async Task StopAsync()
    {
        if (Interlocked.Exchange(ref _stopped, 1) != 0) return;
        await _app.StopAsync();
        await _batcher.DrainAsync();
    }

    /// <summary>Returns when the server has stopped (after <see cref="StopAsync"/> or Ctrl+C in a console).</summary>
    public Task WaitForShutdownAsync() => _app.WaitForShutdownAsync();

    /// <inheritdoc/>
    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        await _app.DisposeAsync();
    }
}
