using System.Text.Json;
using Microsoft.AspNetCore.Http.Timeouts;
using Microsoft.Extensions.Options;
using Trilobite.Playground.Sessions;

namespace Trilobite.Playground.Api;

/// <summary>
/// The playground's JSON API. A page creates a session, changes its configuration, plays, pauses,
/// steps and resets it, and follows it over Server-Sent Events (<c>GET …/events</c>): one "frame"
/// event per update (at most ten a second) with the heat maps and the new loss points.
/// </summary>
public static class SessionEndpoints
{
    /// <summary>Maps the <c>/api/sessions</c> routes: create, get, configure, play, pause, step, reset, delete and the event stream.</summary>
    public static void MapSessionEndpoints(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/sessions");
        api.MapPost("", async (HttpContext context, SessionStore store, IOptions<PlaygroundOptions> options) =>
        {
            var config = await JsonBody.ReadAsync(context, options.Value.MaxRequestBytes, new SessionConfig()).ConfigureAwait(false);
            var session = store.Create(config, ClientKey.Of(context));
            return Results.Created($"/api/sessions/{session.Id}", session.Snapshot());
        });
        api.MapGet("/{id}", (string id, SessionStore store) => Results.Ok(Find(store, id).Snapshot()));
        api.MapPut("/{id}/config", async (string id, HttpContext context, SessionStore store, IOptions<PlaygroundOptions> options) =>
        {
            var session = Find(store, id);
            var config = await JsonBody.ReadAsync<SessionConfig>(context, options.Value.MaxRequestBytes).ConfigureAwait(false);
            session.Configure(config);
            return Results.Ok(session.Snapshot());
        });
        api.MapPost("/{id}/play", (string id, SessionStore store) => { var s = Find(store, id); s.Play(); return Results.Ok(s.Snapshot().Frame); });
        api.MapPost("/{id}/pause", (string id, SessionStore store) => { var s = Find(store, id); s.Pause(); return Results.Ok(s.Snapshot().Frame); });
        api.MapPost("/{id}/step", (string id, SessionStore store) => Results.Ok(Find(store, id).Step()));
        api.MapPost("/{id}/reset", (string id, SessionStore store) => { var s = Find(store, id); s.Reset(); return Results.Ok(s.Snapshot()); });
        api.MapDelete("/{id}", (string id, SessionStore store) => store.Remove(id) ? Results.NoContent() : throw NotFound(id));
        api.MapGet("/{id}/events", Events).DisableRequestTimeout();
    }

    private static PlaygroundSession Find(SessionStore store, string id) => store.Find(id) ?? throw NotFound(id);

    private static ApiException NotFound(string id) =>
        ApiException.NotFound($"No session '{Excerpt.Of(id, 40)}': it may have expired after being idle. Reload the page for a new one.");

    /// <summary>Server-Sent Events: a frame whenever the session changes, a comment every 15 s otherwise.</summary>
    private static async Task Events(string id, HttpContext context, SessionStore store, IHostApplicationLifetime lifetime)
    {
        var session = Find(store, id);
        using var listening = store.OpenStream(session, ClientKey.Of(context));   // before any byte is sent, so a refusal is a JSON 429
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted, lifetime.ApplicationStopping);
        var token = stop.Token;
        var response = context.Response;
        response.ContentType = "text/event-stream";
        response.Headers.CacheControl = "no-cache";
        response.Headers["X-Accel-Buffering"] = "no";
        int version = -1, generation = -1, lastEpoch = -1;
        try
        {
            await response.WriteAsync("retry: 2000\n\n", token).ConfigureAwait(false);
            await response.Body.FlushAsync(token).ConfigureAwait(false);
            while (!token.IsCancellationRequested)
            {
                int seen = await session.WaitForChangeAsync(version, TimeSpan.FromSeconds(15), token).ConfigureAwait(false);
                if (seen == version)
                {
                    await response.WriteAsync(": still here\n\n", token).ConfigureAwait(false);
                }
                else
                {
                    var update = session.Poll(generation, lastEpoch);
                    (version, generation) = (update.Version, update.Frame.Generation);
                    if (update.History.Length > 0) lastEpoch = update.History[^1].Epoch;
                    var json = JsonSerializer.Serialize(update, JsonBody.ResponseOptions);
                    await response.WriteAsync($"event: frame\ndata: {json}\n\n", token).ConfigureAwait(false);
                }
                await response.Body.FlushAsync(token).ConfigureAwait(false);
                session.Touch();
                await Task.Delay(100, token).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) { }
    }
}
