using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Trilobite.Playground.Tests;

/// <summary>Small helpers over HttpClient for JSON APIs.</summary>
internal static class Http
{
    public static async Task<JsonNode> Json(this HttpClient client, HttpMethod method, string url, object? body = null, HttpStatusCode expected = HttpStatusCode.OK)
    {
        using var request = new HttpRequestMessage(method, url);
        if (body != null) request.Content = body is string s ? new StringContent(s, Encoding.UTF8, "application/json") : JsonContent.Create(body);
        using var response = await client.SendAsync(request);
        string text = await response.Content.ReadAsStringAsync();
        Assert.True(expected == response.StatusCode, $"{method} {url}: expected {(int)expected}, got {(int)response.StatusCode}: {text}");
        return text.Length == 0 ? new JsonObject() : JsonNode.Parse(text)!;
    }

    public static Task<JsonNode> Post(this HttpClient c, string url, object? body = null, HttpStatusCode expected = HttpStatusCode.OK) => c.Json(HttpMethod.Post, url, body, expected);

    public static Task<JsonNode> Get(this HttpClient c, string url, HttpStatusCode expected = HttpStatusCode.OK) => c.Json(HttpMethod.Get, url, null, expected);

    public static Task<JsonNode> Put(this HttpClient c, string url, object body, HttpStatusCode expected = HttpStatusCode.OK) => c.Json(HttpMethod.Put, url, body, expected);

    public static async Task<(string Id, JsonNode Snapshot)> NewSession(this HttpClient c, object? config = null)
    {
        var s = await c.Post("/api/sessions", config ?? new { }, HttpStatusCode.Created);
        return (s["id"]!.GetValue<string>(), s);
    }

    /// <summary>A 64×64 drawing of a "7" (white strokes on black), as the page sends it.</summary>
    public static object SevenDrawing(int? targetClass = null)
    {
        const int n = 64;
        var pixels = new byte[n * n];
        void Line(double x0, double y0, double x1, double y1)
        {
            for (int i = 0; i <= 200; i++)
            {
                double x = x0 + (x1 - x0) * i / 200, y = y0 + (y1 - y0) * i / 200;
                for (int dy = -3; dy <= 3; dy++)
                    for (int dx = -3; dx <= 3; dx++)
                        if (dx * dx + dy * dy <= 9 && x + dx is >= 0 and < n && y + dy is >= 0 and < n) pixels[(int)(y + dy) * n + (int)(x + dx)] = 255;
            }
        }
        Line(14, 12, 50, 12);
        Line(50, 12, 26, 54);
        return new { width = n, height = n, pixels = Convert.ToBase64String(pixels), targetClass };
    }

    public static float[] Floats(this JsonNode node) => node.AsArray().Select(v => v!.GetValue<float>()).ToArray();

    public static string Error(this JsonNode node) => node["error"]?.GetValue<string>() ?? throw new Xunit.Sdk.XunitException($"No error message in {node.ToJsonString()}");

    public static JsonSerializerOptions Web { get; } = new(JsonSerializerDefaults.Web);
}
