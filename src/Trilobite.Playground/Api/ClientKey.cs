namespace Trilobite.Playground.Api;

/// <summary>Who a request comes from, for the per-client caps: its remote address (all pages of one machine share it).</summary>
public static class ClientKey
{
    public static string Of(HttpContext context) => context.Connection.RemoteIpAddress?.ToString() ?? "local";
}
