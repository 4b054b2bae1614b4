using System.Net;

namespace Trilobite.Playground.Tests;

public class DigitApiTests(PlaygroundFactory factory) : IClassFixture<PlaygroundFactory>
{
    private readonly HttpClient _client = factory.CreateClient();

    private async Task WaitReady()
    {
        for (int i = 0; i < 100; i++)
        {
            var status = await _client.Get("/api/digits/status");
            if (status["state"]!.GetValue<string>() == "ready") return;
            await Task.Delay(50);
        }
        throw new TimeoutException("The classifier did not become ready.");
    }

    [Fact]
    public async Task Predict_returns_ten_probabilities_and_the_mnist_like_input()
    {
        await WaitReady();
        var p = await _client.Post("/api/digits/predict", Http.SevenDrawing());
        float[] probabilities = p["probabilities"]!.Floats();
        Assert.Equal(10, probabilities.Length);
        Assert.Equal(1f, probabilities.Sum(), 3);
        Assert.Equal(Enumerable.Range(0, 10), p["ranking"]!.AsArray().Select(r => r!.GetValue<int>()).Order());
        float[] input = p["input"]!.Floats();
        Assert.Equal(784, input.Length);
        Assert.True(input.Max() > 0.9f && input.Min() >= 0);
        // Cropped and scaled to 20 pixels: the ink stays inside the central 20×20-ish box.
        Assert.All(Enumerable.Range(0, 28), i => Assert.Equal(0f, input[i]));
    }

    [Fact]
    public async Task Insight_shows_filters_activation_maps_and_grad_cam()
    {
        await WaitReady();
        var s = await _client.Post("/api/digits/insight", Http.SevenDrawing(targetClass: 3));
        Assert.Equal(3, s["filterSize"]!.GetValue<int>());
        Assert.Equal(32, s["filters"]!.AsArray().Count);
        Assert.All(s["filters"]!.AsArray(), f => Assert.Equal(9, f!.AsArray().Count));
        var activations = s["activations"]!.AsArray();
        Assert.Equal(new[] { 26, 24 }, activations.Select(a => a!["height"]!.GetValue<int>()));
        Assert.Equal(new[] { 32, 64 }, activations.Select(a => a!["maps"]!.AsArray().Count));
        Assert.Equal(26 * 26, Convert.FromBase64String(activations[0]!["maps"]![0]!.GetValue<string>()).Length);
        Assert.Equal(3, s["camClass"]!.GetValue<int>());
        Assert.Equal("conv2d_2", s["camLayer"]!.GetValue<string>());
        float[] cam = s["cam"]!.Floats();
        Assert.Equal(784, cam.Length);
        Assert.All(cam, v => Assert.InRange(v, 0f, 1f));
        // Grad-CAM leaves no gradients behind on the shared model: a second call gives the same map.
        var again = await _client.Post("/api/digits/insight", Http.SevenDrawing(targetClass: 3));
        Assert.Equal(cam, again["cam"]!.Floats());
    }

    [Theory]
    [InlineData("{\"width\": 4, \"height\": 4, \"pixels\": \"AAAA\"}", "width and height")]
    [InlineData("{\"width\": 8000, \"height\": 8, \"pixels\": \"AAAA\"}", "width and height")]
    [InlineData("{\"width\": 8, \"height\": 8, \"pixels\": \"***\"}", "base64")]
    [InlineData("{\"width\": 8, \"height\": 8, \"pixels\": \"AAAA\"}", "needs 64")]
    [InlineData("{\"width\": 8, \"height\": 8}", "pixels is missing")]
    [InlineData("{\"width\": 8, \"height\": 8, \"pixels\": \"AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA==\", \"targetClass\": 12}", "targetClass")]
    [InlineData("{\"width\": \"8\"}", "Malformed JSON")]
    [InlineData("", "needs a JSON body")]
    public async Task Malformed_drawings_get_400_with_a_message(string body, string message)
    {
        await WaitReady();
        foreach (var endpoint in new[] { "predict", "insight" })
            Assert.Contains(message, (await _client.Post($"/api/digits/{endpoint}", body, HttpStatusCode.BadRequest)).Error());
    }

    [Fact]
    public async Task An_unusable_model_file_is_reported_and_the_rest_keeps_working()
    {
        await using var broken = new PlaygroundFactory { ModelPath = "/nonexistent/model.trilo" };
        var client = broken.CreateClient();
        Assert.Contains("{\"", await client.GetStringAsync("/api/digits/status"));
        for (int i = 0; i < 100 && (await client.Get("/api/digits/status"))["state"]!.GetValue<string>() != "failed"; i++) await Task.Delay(50);
        var status = await client.Get("/api/digits/status");
        Assert.Equal("failed", status["state"]!.GetValue<string>());
        Assert.Contains("model.trilo", status["message"]!.GetValue<string>());
        Assert.Contains("unavailable", (await client.Post("/api/digits/predict", Http.SevenDrawing(), HttpStatusCode.ServiceUnavailable)).Error());
        await client.NewSession();                                        // the playground itself still works
    }
}
