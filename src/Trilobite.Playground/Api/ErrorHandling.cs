using Trilobite.Playground.Sessions;

namespace Trilobite.Playground.Api;

/// <summary>
/// Turns exceptions from API handlers into JSON answers <c>{"error": "…"}</c>: the client's mistakes
/// are 4xx with the reason, a full or unready server is 503, anything else is a logged 500. One
/// failing request never takes the server (or another user's session) down with it.
/// </summary>
public static class ErrorHandling
{
    /// <summary>Adds the middleware that maps exceptions to JSON error answers (see the class remarks); a response already started or an aborted request is left alone.</summary>
    public static IApplicationBuilder UseApiErrors(this IApplicationBuilder app) => app.Use(async (context, next) =>
    {
        try { await next(context).ConfigureAwait(false); }
        catch (Exception e) when (!context.Response.HasStarted && !context.RequestAborted.IsCancellationRequested)
        {
            var (status, message) = e switch
            {
                ApiException api => (api.Status, api.Message),
                BadHttpRequestException bad => (bad.StatusCode, bad.Message),
                ArgumentException arg => (StatusCodes.Status400BadRequest, ErrorText.Of(arg)),
                SessionLimitException { PerClient: true } share => (StatusCodes.Status429TooManyRequests, share.Message),
                SessionLimitException full => (StatusCodes.Status503ServiceUnavailable, full.Message),
                InvalidOperationException busy => (StatusCodes.Status503ServiceUnavailable, busy.Message),
                _ => (StatusCodes.Status500InternalServerError, "The server failed on this request; other requests are not affected."),
            };
            if (status >= 500 && e is not (SessionLimitException or InvalidOperationException))
                context.RequestServices.GetRequiredService<ILoggerFactory>().CreateLogger("Trilobite.Playground").LogError(e, "Request {Path} failed", context.Request.Path);
            context.Response.Clear();
            context.Response.StatusCode = status;
            await context.Response.WriteAsJsonAsync(new { error = message }, JsonBody.ResponseOptions).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (context.RequestAborted.IsCancellationRequested) { }
    });
}
