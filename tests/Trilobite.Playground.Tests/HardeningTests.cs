using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Trilobite.Playground.Sessions;

namespace Trilobite.Playground.Tests;

/// <summary>Hostile and unlucky requests: valid JSON with nulls, wrong types, foreign hosts, diverging networks, greedy clients.</summary>
public class HardeningTests(PlaygroundFactory factory) : IClassFixture<PlaygroundFactory>
{
    private readonly HttpClient _client = factory.CreateClient();

    [Theory]
    [InlineData("{\"dataset\": null}", "dataset must not be null (leave it out for the default).")]
    [InlineData("{\"activation\": null}", "activation must not be null")]
    [InlineData("{\"regularization\": null}", "regularization must not be null")]
    [InlineData("{\"features\": null}", "features must not be null")]
    [InlineData("{\"features\": [null]}", "features: unknown feature 'null'")]
    [InlineData("{\"hidden\": null}", "hidden must not be null")]
    [InlineData("{\"noise\": \"loud\"}", "Malformed JSON at $.noise: noise must be a number.")]
    [InlineData("{\"seed\": 1.5}", "Malformed JSON at $.seed: seed must be a whole number.")]
    [InlineData("{\"hidden\": [\"two\"]}", "hidden must be an array of whole numbers.")]
    [InlineData("{\"hiden\": [2]}", "Malformed JSON: unknown member 'hiden'. Known: dataset, noise, trainRatio, seed, features, hidden,")]
    [InlineData("{\"learningRate\": NaN}", "Malformed JSON")]
    [InlineData("[]", "Malformed JSON: the body must be a JSON object {…} with the members dataset, noise,")]
    [InlineData("{\"noise\": 0.1", "not valid JSON (line 1, byte")]
    public async Task Valid_json_that_cannot_work_is_a_400_in_the_apis_words(string body, string message)
    {
        foreach (var (method, url) in new[] { (HttpMethod.Post, "/api/sessions"), (HttpMethod.Put, $"/api/sessions/{(await _client.NewSession()).Id}/config") })
        {
            var error = (await _client.Json(method, url, body, HttpStatusCode.BadRequest)).Error();
            Assert.Contains(message, error);
            Assert.DoesNotContain("System.", error);
            Assert.DoesNotContain("Trilobite.", error);
        }
    }

    [Fact]
    public async Task Errors_never_echo_more_than_an_excerpt_of_the_input()
    {
        string longName = new('x', 100_000);
        var error = (await _client.Post("/api/sessions", $"{{\"dataset\": \"{longName}\"}}", HttpStatusCode.BadRequest)).Error();
        Assert.Contains("Unknown dataset 'xxxx", error);
        Assert.True(error.Length < 200, error);
        error = (await _client.Post("/api/sessions", $"{{\"{longName}\": 1}}", HttpStatusCode.BadRequest)).Error();
        Assert.True(error.Length < 300, error);
        error = (await _client.Get($"/api/sessions/{longName[..5000]}", HttpStatusCode.NotFound)).Error();
        Assert.True(error.Length < 200, error);
        error = (await _client.Post("/api/sessions", $"{{\"features\": [{string.Join(",", Enumerable.Repeat("\"x1\"", 5000))}]}}", HttpStatusCode.BadRequest)).Error();
        Assert.True(error.Length < 200, error);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("text/plain")]
    [InlineData("application/x-www-form-urlencoded")]
    public async Task Json_endpoints_need_a_json_content_type(string? type)
    {
        // A cross-site form may post text/plain (or no type) without asking; it cannot send application/json without a preflight.
        var content = new ByteArrayContent(Encoding.UTF8.GetBytes("{\"dataset\": \"xor\"}"));
        if (type != null) content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue(type);
        using var response = await _client.PostAsync("/api/sessions", content);
        Assert.Equal(HttpStatusCode.UnsupportedMediaType, response.StatusCode);
        Assert.Contains("Content-Type: application/json", await response.Content.ReadAsStringAsync());
    }

    [Theory]
    [InlineData("localhost", HttpStatusCode.OK)]
    [InlineData("localhost:5080", HttpStatusCode.OK)]
    [InlineData("127.0.0.1:5080", HttpStatusCode.OK)]
    [InlineData("[::1]:5080", HttpStatusCode.OK)]
    [InlineData("evil.example", HttpStatusCode.BadRequest)]
    [InlineData("127.0.0.1.evil.example:5080", HttpStatusCode.BadRequest)]
    public async Task Only_loopback_host_names_are_answered(string host, HttpStatusCode expected)
    {
        // DNS rebinding: a page of evil.example whose name then resolves to 127.0.0.1 still sends "Host: evil.example".
        using var request = new HttpRequestMessage(HttpMethod.Get, "/api/health");
        request.Headers.Host = host;
        using var response = await _client.SendAsync(request);
        Assert.Equal(expected, response.StatusCode);
    }

    [Fact]
    public async Task A_diverging_network_is_shown_as_diverged_and_the_session_stays_usable()
    {
        var (id, _) = await _client.NewSession(new { dataset = "spiral", activation = "linear", learningRate = 10, hidden = new[] { 8, 8, 8, 8, 8, 8 }, batchSize = 1 });
        JsonNode frame = new JsonObject();
        for (int step = 0; step < 50; step++)
        {
            frame = await _client.Post($"/api/sessions/{id}/step");
            if (frame["trainLoss"] is JsonValue v && v.GetValueKind() == System.Text.Json.JsonValueKind.String) break;
        }
        Assert.Contains(frame["trainLoss"]!.GetValue<string>(), new[] { "NaN", "Infinity", "-Infinity" });   // JSON has no NaN: named as strings
        Assert.Contains("The loss is no longer a number", frame["message"]!.GetValue<string>());
        var snapshot = await _client.Get($"/api/sessions/{id}");                                            // the whole state still serialises
        Assert.Contains(snapshot["history"]!.AsArray(), p => p!["train"] is JsonValue { } t && t.GetValueKind() == System.Text.Json.JsonValueKind.String);

        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        using var events = await _client.GetAsync($"/api/sessions/{id}/events", HttpCompletionOption.ResponseHeadersRead, cts.Token);
        using (var reader = new StreamReader(await events.Content.ReadAsStreamAsync(cts.Token)))
            Assert.NotNull((await SessionApiTests.NextFrame(reader, cts.Token))["frame"]);

        await _client.Put($"/api/sessions/{id}/config", new { dataset = "spiral", activation = "tanh", learningRate = 0.03, hidden = new[] { 4 } });
        var fresh = await _client.Post($"/api/sessions/{id}/step");
        Assert.Equal(System.Text.Json.JsonValueKind.Number, fresh["trainLoss"]!.GetValueKind());
    }

    [Fact]
    public async Task One_client_cannot_evict_or_lock_out_another()
    {
        await using var capped = new PlaygroundFactory
        {
            Limits = new SessionLimits { MaxSessions = 3, MaxSessionsPerClient = 2, MaxEventStreamsPerClient = 2, MaxListenersPerSession = 1 },
        };
        var alice = capped.CreateClient();
        alice.DefaultRequestHeaders.Add("X-Test-Client", "10.0.0.1");
        var bob = capped.CreateClient();
        bob.DefaultRequestHeaders.Add("X-Test-Client", "10.0.0.2");

        var (bobs, _) = await bob.NewSession();
        var (a1, _) = await alice.NewSession();
        var (a2, _) = await alice.NewSession();
        var (a3, _) = await alice.NewSession();                         // at her share: her own idlest session goes
        await alice.Get($"/api/sessions/{a1}", HttpStatusCode.NotFound);
        await bob.Get($"/api/sessions/{bobs}");                          // Bob's idle session is untouched

        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        using var s2 = await alice.GetAsync($"/api/sessions/{a2}/events", HttpCompletionOption.ResponseHeadersRead, cts.Token);
        using var s3 = await alice.GetAsync($"/api/sessions/{a3}/events", HttpCompletionOption.ResponseHeadersRead, cts.Token);
        Assert.Equal(HttpStatusCode.OK, s3.StatusCode);
        var refused = await alice.Post("/api/sessions", new { }, (HttpStatusCode)429);  // both of hers are watched: nothing to evict
        Assert.Contains("already has 2 sessions open and watched", refused.Error());
        var third = await alice.Get($"/api/sessions/{a2}/events", (HttpStatusCode)429);
        Assert.Contains("already feeds 1 pages", third.Error());
        var (bobs2, _) = await bob.NewSession();                         // Bob still gets one: the full store evicts his own idle session
        await bob.Get($"/api/sessions/{bobs}", HttpStatusCode.NotFound);
        var carol = capped.CreateClient();
        carol.DefaultRequestHeaders.Add("X-Test-Client", "10.0.0.3");
        await carol.NewSession();                                        // a new visitor takes the one page nobody watches...
        await bob.Get($"/api/sessions/{bobs2}", HttpStatusCode.NotFound);
        await alice.Get($"/api/sessions/{a2}");                           // ...never a watched one
    }

    [Fact]
    public async Task Event_streams_are_capped_per_client()
    {
        await using var capped = new PlaygroundFactory { Limits = new SessionLimits { MaxEventStreamsPerClient = 1 } };
        var client = capped.CreateClient();
        var (first, _) = await client.NewSession();
        var (second, _) = await client.NewSession();
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        using var open = await client.GetAsync($"/api/sessions/{first}/events", HttpCompletionOption.ResponseHeadersRead, cts.Token);
        Assert.Equal(HttpStatusCode.OK, open.StatusCode);
        Assert.Contains("already has 1 event streams open", (await client.Get($"/api/sessions/{second}/events", (HttpStatusCode)429)).Error());
    }
}
