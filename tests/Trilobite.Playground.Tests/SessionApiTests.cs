using System.Net;
using System.Text.Json.Nodes;
using Trilobite.Playground.Sessions;

namespace Trilobite.Playground.Tests;

public class SessionApiTests(PlaygroundFactory factory) : IClassFixture<PlaygroundFactory>
{
    private readonly HttpClient _client = factory.CreateClient();

    [Theory]
    [InlineData("/", "text/html", "Trilobite playground")]
    [InlineData("/index.html", "text/html", "id=\"boundary\"")]
    [InlineData("/draw.html", "text/html", "id=\"pad\"")]
    [InlineData("/style.css", "text/css", "--orange")]
    [InlineData("/playground.js", "text/javascript", "EventSource")]
    [InlineData("/draw.js", "text/javascript", "pointerdown")]
    public async Task Pages_are_served_from_the_assembly(string path, string type, string content)
    {
        using var response = await _client.GetAsync(path);
        response.EnsureSuccessStatusCode();
        Assert.StartsWith(type, response.Content.Headers.ContentType!.MediaType);
        Assert.Contains(content, await response.Content.ReadAsStringAsync());
        Assert.Equal("nosniff", response.Headers.GetValues("X-Content-Type-Options").Single());
    }

    [Fact]
    public async Task A_session_starts_untrained_and_steps_epoch_by_epoch()
    {
        var (id, s) = await _client.NewSession(new { dataset = "xor", hidden = new[] { 3, 2 }, features = new[] { "x1", "x2", "x1x2" } });
        Assert.Equal(32, id.Length);
        Assert.Equal(250, s["train"]!.AsArray().Count);
        Assert.Equal(250, s["test"]!.AsArray().Count);
        var frame = s["frame"]!;
        Assert.Equal(0, frame["epoch"]!.GetValue<int>());
        Assert.Equal(frame["grid"]!.GetValue<int>() * frame["grid"]!.GetValue<int>(), Convert.FromBase64String(frame["boundary"]!.GetValue<string>()).Length);
        var layers = frame["layers"]!.AsArray();
        Assert.Equal(3, layers.Count);                                  // features, hidden 1, hidden 2
        Assert.Equal(new[] { 3, 3, 2 }, layers.Select(l => l!.AsArray().Count));
        Assert.Equal(new[] { 9, 6, 2 }, frame["weights"]!.AsArray().Select(w => w!.AsArray().Count));
        double before = frame["testLoss"]!.GetValue<double>();
        JsonNode stepped = frame;
        for (int i = 0; i < 25; i++) stepped = await _client.Post($"/api/sessions/{id}/step");
        Assert.Equal(25, stepped["epoch"]!.GetValue<int>());
        Assert.True(stepped["testLoss"]!.GetValue<double>() < before, $"{before} → {stepped["testLoss"]}");
        var again = await _client.Get($"/api/sessions/{id}");
        Assert.Equal(26, again["history"]!.AsArray().Count);
        Assert.True(again["estimatedBytes"]!.GetValue<long>() < new SessionLimits().MaxSessionBytes);
    }

    [Fact]
    public async Task Sessions_do_not_interfere()
    {
        var (a, sa) = await _client.NewSession(new { dataset = "circle", seed = 2 });
        var (b, sb) = await _client.NewSession(new { dataset = "spiral", seed = 2 });
        Assert.NotEqual(sa["train"]!.ToJsonString(), sb["train"]!.ToJsonString());
        for (int i = 0; i < 5; i++) await _client.Post($"/api/sessions/{a}/step");
        await _client.Put($"/api/sessions/{a}/config", new { dataset = "circle", seed = 2, hidden = new[] { 5 } });
        var after = await _client.Get($"/api/sessions/{b}");
        Assert.Equal(0, after["frame"]!["epoch"]!.GetValue<int>());
        Assert.Equal("spiral", after["config"]!["dataset"]!.GetValue<string>());
        Assert.Equal(new[] { 4, 2 }, after["config"]!["hidden"]!.AsArray().Select(h => h!.GetValue<int>()));
        Assert.Equal(sb["frame"]!["boundary"]!.GetValue<string>(), after["frame"]!["boundary"]!.GetValue<string>());
    }

    [Fact]
    public async Task Learning_rate_changes_live_and_the_architecture_resets()
    {
        var (id, _) = await _client.NewSession();
        for (int i = 0; i < 3; i++) await _client.Post($"/api/sessions/{id}/step");
        var live = await _client.Put($"/api/sessions/{id}/config", new { learningRate = 0.1, batchSize = 5, regularization = "l2", regularizationRate = 0.001 });
        Assert.Equal(3, live["frame"]!["epoch"]!.GetValue<int>());
        Assert.Equal(0.1, live["config"]!["learningRate"]!.GetValue<double>());
        var reset = await _client.Put($"/api/sessions/{id}/config", new { learningRate = 0.1, features = new[] { "r", "theta" } });
        Assert.Equal(0, reset["frame"]!["epoch"]!.GetValue<int>());
        Assert.Equal(1, reset["frame"]!["generation"]!.GetValue<int>());
        Assert.Equal(2, reset["frame"]!["layers"]![0]!.AsArray().Count);
        var afterReset = await _client.Post($"/api/sessions/{id}/reset");
        Assert.Equal(2, afterReset["frame"]!["generation"]!.GetValue<int>());
    }

    [Fact]
    public async Task Play_streams_frames_over_server_sent_events_until_paused()
    {
        var (id, _) = await _client.NewSession(new { dataset = "gaussians" });
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        using var response = await _client.GetAsync($"/api/sessions/{id}/events", HttpCompletionOption.ResponseHeadersRead, cts.Token);
        Assert.Equal("text/event-stream", response.Content.Headers.ContentType!.MediaType);
        using var reader = new StreamReader(await response.Content.ReadAsStreamAsync(cts.Token));
        var first = await NextFrame(reader, cts.Token);
        Assert.NotNull(first["config"]);                                 // the first event carries data and config
        Assert.Equal(250, first["train"]!.AsArray().Count);
        await _client.Post($"/api/sessions/{id}/play");
        JsonNode update;
        var epochs = new List<int>();
        do
        {
            update = await NextFrame(reader, cts.Token);
            epochs.Add(update["frame"]!["epoch"]!.GetValue<int>());
        } while (epochs[^1] < 10);
        Assert.True(update["frame"]!["playing"]!.GetValue<bool>());
        Assert.Equal(epochs.OrderBy(e => e), epochs);
        Assert.Null(update["config"]);                                    // later events carry only new loss points
        var paused = await _client.Post($"/api/sessions/{id}/pause");
        Assert.False(paused["playing"]!.GetValue<bool>());
        int stoppedAt = (await _client.Get($"/api/sessions/{id}"))["frame"]!["epoch"]!.GetValue<int>();
        await Task.Delay(300);
        Assert.Equal(stoppedAt, (await _client.Get($"/api/sessions/{id}"))["frame"]!["epoch"]!.GetValue<int>());
    }

    internal static async Task<JsonNode> NextFrame(StreamReader reader, CancellationToken token)
    {
        string? line;
        while ((line = await reader.ReadLineAsync(token)) != null)
            if (line.StartsWith("data: ", StringComparison.Ordinal)) return JsonNode.Parse(line[6..])!;
        throw new EndOfStreamException("The event stream ended.");
    }

    [Theory]
    [InlineData("{bad json", "Malformed JSON")]
    [InlineData("[1, 2]", "Malformed JSON")]
    [InlineData("{\"hidden\": [9]}", "hidden")]
    [InlineData("{\"hidden\": [1,1,1,1,1,1,1]}", "hidden")]
    [InlineData("{\"features\": [\"x1\", \"z\"]}", "unknown feature 'z'")]
    [InlineData("{\"dataset\": \"moons\"}", "Unknown dataset")]
    [InlineData("{\"activation\": \"softplus\"}", "Unknown activation")]
    [InlineData("{\"learningRate\": -1}", "learningRate")]
    [InlineData("{\"noise\": \"loud\"}", "Malformed JSON")]
    [InlineData("{\"batchSize\": 1000}", "batchSize")]
    [InlineData("{\"hiden\": [2]}", "Malformed JSON")]
    [InlineData("null", "not null")]
    public async Task Malformed_configurations_get_400_with_a_message(string body, string message)
    {
        var error = await _client.Post("/api/sessions", body, HttpStatusCode.BadRequest);
        Assert.Contains(message, error.Error());
        var (id, _) = await _client.NewSession();
        error = await _client.Json(HttpMethod.Put, $"/api/sessions/{id}/config", body, HttpStatusCode.BadRequest);
        Assert.Contains(message, error.Error());
    }

    [Fact]
    public async Task Oversized_and_mistyped_bodies_are_refused()
    {
        var huge = new StringContent("{\"dataset\": \"" + new string('x', 2 << 20) + "\"}", System.Text.Encoding.UTF8, "application/json");
        using var tooBig = await _client.PostAsync("/api/sessions", huge);
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, tooBig.StatusCode);
        Assert.Contains("larger than", (await tooBig.Content.ReadAsStringAsync()));
        using var text = await _client.PostAsync("/api/sessions", new StringContent("dataset=xor", System.Text.Encoding.UTF8, "application/x-www-form-urlencoded"));
        Assert.Equal(HttpStatusCode.UnsupportedMediaType, text.StatusCode);
    }

    [Fact]
    public async Task Unknown_sessions_and_routes_are_404_with_a_message()
    {
        Assert.Contains("No session", (await _client.Get("/api/sessions/nope", HttpStatusCode.NotFound)).Error());
        Assert.Contains("No session", (await _client.Post("/api/sessions/nope/step", null, HttpStatusCode.NotFound)).Error());
        Assert.Contains("No API endpoint", (await _client.Get("/api/nothing/here", HttpStatusCode.NotFound)).Error());
        var (id, _) = await _client.NewSession();
        await _client.Json(HttpMethod.Delete, $"/api/sessions/{id}", null, HttpStatusCode.NoContent);
        await _client.Get($"/api/sessions/{id}", HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Bad_requests_do_not_disturb_good_ones()
    {
        var (id, _) = await _client.NewSession();
        var bad = Enumerable.Range(0, 40).Select(i => i % 2 == 0
            ? _client.PostAsync("/api/sessions", new StringContent("{\"hidden\": [", System.Text.Encoding.UTF8, "application/json"))
            : _client.PostAsync($"/api/sessions/{id}x/step", null));
        var good = Enumerable.Range(0, 10).Select(_ => _client.PostAsync($"/api/sessions/{id}/step", null));
        var all = await Task.WhenAll(bad.Concat(good));
        Assert.All(all.Take(40), r => Assert.True(r.StatusCode is HttpStatusCode.BadRequest or HttpStatusCode.NotFound));
        Assert.All(all.Skip(40), r => Assert.Equal(HttpStatusCode.OK, r.StatusCode));
        Assert.Equal(10, (await _client.Get($"/api/sessions/{id}"))["frame"]!["epoch"]!.GetValue<int>());
        foreach (var r in all) r.Dispose();
    }
}

public class SessionLimitTests
{
    [Fact]
    public async Task Training_time_is_capped_per_session()
    {
        await using var factory = new PlaygroundFactory { Limits = new SessionLimits { MaxTrainingTime = TimeSpan.FromMilliseconds(150) } };
        var client = factory.CreateClient();
        var (id, _) = await client.NewSession(new { dataset = "spiral", hidden = new[] { 8, 8, 8 } });
        await client.Post($"/api/sessions/{id}/play");
        JsonNode frame;
        var deadline = DateTime.UtcNow.AddSeconds(20);
        do
        {
            await Task.Delay(100);
            frame = (await client.Get($"/api/sessions/{id}"))["frame"]!;
        } while (frame["playing"]!.GetValue<bool>() && DateTime.UtcNow < deadline);
        Assert.False(frame["playing"]!.GetValue<bool>());
        Assert.Contains("training time", frame["message"]!.GetValue<string>());
        int epoch = frame["epoch"]!.GetValue<int>();
        Assert.True(epoch > 0);
        var stepped = await client.Post($"/api/sessions/{id}/step");
        Assert.Equal(epoch, stepped["epoch"]!.GetValue<int>());            // no more training until reset
        var reset = await client.Post($"/api/sessions/{id}/reset");
        Assert.Equal(0.0, reset["trainingSecondsUsed"]!.GetValue<double>());
        Assert.Equal(1, (await client.Post($"/api/sessions/{id}/step"))["epoch"]!.GetValue<int>());
    }

    [Fact]
    public async Task The_number_of_sessions_is_capped_by_evicting_the_idlest()
    {
        await using var factory = new PlaygroundFactory { Limits = new SessionLimits { MaxSessions = 2 } };
        var client = factory.CreateClient();
        var (first, _) = await client.NewSession();
        await Task.Delay(20);
        var (second, _) = await client.NewSession();
        var (third, _) = await client.NewSession();
        await client.Get($"/api/sessions/{first}", HttpStatusCode.NotFound);
        await client.Get($"/api/sessions/{second}");
        await client.Get($"/api/sessions/{third}");
    }
}
