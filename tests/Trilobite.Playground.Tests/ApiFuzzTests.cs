using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Trilobite.Testing;

namespace Trilobite.Playground.Tests;

/// <summary>
/// Thousands of mutated request bodies (seeded <see cref="Mutator"/>) against the JSON endpoints: every answer is a
/// success or a 4xx with a short {"error": …} message — never a 5xx, and the server keeps answering. See docs/RELIABILITY.md.
/// </summary>
public class ApiFuzzTests(PlaygroundFactory factory) : IClassFixture<PlaygroundFactory>
{
    private readonly HttpClient _client = factory.CreateClient();

    private const string Config = """
        {"dataset": "spiral", "noise": 0.1, "trainRatio": 0.5, "seed": 3, "features": ["x1", "x2", "sinX1"], "hidden": [4, 2],
         "activation": "tanh", "learningRate": 0.03, "regularization": "l2", "regularizationRate": 0.001, "batchSize": 10}
        """;

    private async Task<(HttpStatusCode Status, string Body)> Send(HttpMethod method, string url, string body)
    {
        using var request = new HttpRequestMessage(method, url) { Content = new StringContent(body, Encoding.UTF8, "application/json") };
        using var response = await _client.SendAsync(request);
        return (response.StatusCode, await response.Content.ReadAsStringAsync());
    }

    private static void WellFormedAnswer(HttpStatusCode status, string body, string sent)
    {
        Assert.True((int)status < 500, $"{(int)status} for {Excerpt.Of(sent, 300)}: {body}");
        if ((int)status < 400) return;
        string error = JsonNode.Parse(body)!["error"]!.GetValue<string>();
        Assert.True(error.Length < 400, $"an error of {error.Length} characters for {Excerpt.Of(sent, 300)}");
        Assert.DoesNotContain("System.", error);
    }

    [Fact]
    public async Task Mutated_session_configurations_never_fail_the_server()
    {
        var mutator = new Mutator(7);
        var (id, _) = await _client.NewSession();
        int accepted = 0;
        for (int trial = 0; trial < 2000; trial++)
        {
            string body = mutator.Json(Config);
            var (status, answer) = trial % 2 == 0
                ? await Send(HttpMethod.Post, "/api/sessions", body)
                : await Send(HttpMethod.Put, $"/api/sessions/{id}/config", body);
            WellFormedAnswer(status, answer, body);
            if ((int)status < 300) accepted++;
            if (trial % 200 == 199) await _client.Post($"/api/sessions/{id}/step");   // the session still trains
        }
        Assert.True(accepted > 10, $"only {accepted} of 2000 mutated configurations were valid");   // seed 7: 38 (most mutations break a rule)
    }

    [Fact]
    public async Task Mutated_drawings_never_fail_the_server()
    {
        var mutator = new Mutator(8);
        string drawing = JsonSerializer.Serialize(Http.SevenDrawing(targetClass: 3), Http.Web);
        for (int trial = 0; trial < 600; trial++)
        {
            string body = mutator.Json(drawing);
            var (status, answer) = await Send(HttpMethod.Post, trial % 2 == 0 ? "/api/digits/predict" : "/api/digits/insight", body);
            if (status == HttpStatusCode.ServiceUnavailable) continue;   // the classifier still loading
            WellFormedAnswer(status, answer, body);
        }
        var (ok, _) = await Send(HttpMethod.Post, "/api/digits/predict", drawing);
        Assert.True(ok is HttpStatusCode.OK or HttpStatusCode.ServiceUnavailable);
    }
}
