namespace Trilobite.Playground.Api;

/// <summary>
/// Who a request comes from, for the per-client caps: its remote address (all pages of one machine share it). Behind a
/// reverse proxy every visitor has the proxy's address and so one quota, unless the host adds ASP.NET's
/// forwarded-headers middleware, which puts the visitor's address here.
/// </summary>
public static class ClientKey
{
    /// <summary>The request's remote IP address as text, or <c>"local"</c> when there is none (in-process test server).</summary>
    public static string Of(HttpContext context) => context.Connection.RemoteIpAddress?.ToString() ?? "local";
}
