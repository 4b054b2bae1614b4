using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using Trilobite.Data;
using Trilobite.Vision.Data;
using Trilobite.Vision.Imaging;
using Trilobite.Zoo;

namespace Trilobite.Serving.Tests;

/// <summary>The real server on a free loopback port: real digit pictures in, Model.Predict's answers out; batching, limits, metrics, shutdown.</summary>
public class ServerTests
{
    private static readonly Lazy<LabeledImages> Digits = new(() => Mnist.LoadSample().Test);

    private static Model LeNet()
    {
        RandomSeed.Set(3);
        var model = LeNetKeras.Build();
        model.ClassNames = Mnist.ClassNames;
        return model;
    }

    /// <summary>Test digit <paramref name="i"/> as the PNG a phone or a browser would send: dark ink on white.</summary>
    private static byte[] DigitPng(int i)
    {
        var pixels = Digits.Value.Image(i).ToArray().Select(v => (byte)(255 - Math.Round(v * 255))).ToArray();
        using var png = new MemoryStream();
        new StbImageWriteSharp.ImageWriter().WritePng(pixels, 28, 28, StbImageWriteSharp.ColorComponents.Grey, png);
        return png.ToArray();
    }

    private static HttpContent Png(byte[] bytes) => new ByteArrayContent(bytes) { Headers = { ContentType = new MediaTypeHeaderValue("image/png") } };

    private static float[] Expected(Model model, byte[] png) =>
        model.Predict(ModelInput.FromPicture(ImageFile.Decode(png), model.InputShape, model.ClassNames)).ToArray();

    private static async Task<(HttpStatusCode Status, JsonObject Body)> Post(HttpClient client, HttpContent content)
    {
        var response = await client.PostAsync("/v1/predict", content);
        return (response.StatusCode, JsonNode.Parse(await response.Content.ReadAsStringAsync())!.AsObject());
    }

    private static void AssertAnswers(JsonObject answer, float[] expected)
    {
        var predictions = answer["predictions"]!.AsArray();
        int best = Array.IndexOf(expected, expected.Max());
        Assert.Equal(best, (int)predictions[0]!["index"]!);
        Assert.Equal(best.ToString(), (string)predictions[0]!["class"]!);
        foreach (var p in predictions) Assert.Equal(expected[(int)p!["index"]!], (float)p["probability"]!, 1e-6f);
    }

    [Fact]
    public async Task Pictures_multipart_and_json_tensors_get_Model_Predicts_answers()
    {
        var model = LeNet();
        await using var server = await InferenceServer.StartAsync(model, new ServeOptions { Port = 0 });
        Assert.Equal("127.0.0.1", server.Address.Host);
        using var client = new HttpClient { BaseAddress = server.Address };
        for (int i = 0; i < 5; i++)
        {
            byte[] png = DigitPng(i);
            var (status, answer) = await Post(client, Png(png));
            Assert.Equal(HttpStatusCode.OK, status);
            Assert.Equal(5, answer["predictions"]!.AsArray().Count);
            AssertAnswers(answer, Expected(model, png));
        }
        using var form = new MultipartFormDataContent { { Png(DigitPng(7)), "file", "seven.png" } };
        var (formStatus, formAnswer) = await Post(client, form);
        Assert.Equal(HttpStatusCode.OK, formStatus);
        AssertAnswers(formAnswer, Expected(model, DigitPng(7)));

        float[] tensor = Digits.Value.Image(3).ToArray();
        var json = new StringContent(new JsonObject { ["data"] = new JsonArray([.. tensor.Select(v => (JsonNode)v)]), ["shape"] = new JsonArray(28, 28, 1) }.ToJsonString(), Encoding.UTF8, "application/json");
        var (jsonStatus, jsonAnswer) = await Post(client, json);
        Assert.Equal(HttpStatusCode.OK, jsonStatus);
        AssertAnswers(jsonAnswer, model.Predict(Tensor.FromArray(tensor, 1, 28, 28, 1)).ToArray());
    }

    [Fact]
    public async Task Concurrent_requests_are_batched_and_answered_as_one_at_a_time()
    {
        var model = LeNet();
        await using var server = await InferenceServer.StartAsync(model, new ServeOptions { Port = 0, MaxBatch = 16, MaxWaitMs = 50 });
        using var client = new HttpClient { BaseAddress = server.Address };
        var pictures = Enumerable.Range(0, 48).Select(DigitPng).ToArray();
        var answers = await Task.WhenAll(pictures.Select(p => Post(client, Png(p))));
        for (int i = 0; i < pictures.Length; i++)
        {
            Assert.Equal(HttpStatusCode.OK, answers[i].Status);
            AssertAnswers(answers[i].Body, Expected(model, pictures[i]));
        }
        string metrics = await client.GetStringAsync("/metrics");
        double batches = Metric(metrics, "trilobite_batch_size_count"), requests = Metric(metrics, "trilobite_batch_size_sum");
        Assert.Equal(48, requests);
        Assert.True(batches < 48, $"48 concurrent requests ran in {batches} forward passes: nothing was batched");
        Assert.Contains("trilobite_requests_total{code=\"200\"} 48", metrics);
        Assert.Contains("trilobite_request_duration_seconds_bucket", metrics);
        Assert.Contains("trilobite_queue_length", metrics);
    }

    private static double Metric(string text, string name) =>
        double.Parse(text.Split('\n').First(l => l.StartsWith(name + " ", StringComparison.Ordinal)).Split(' ')[1], System.Globalization.CultureInfo.InvariantCulture);

    [Fact]
    public async Task A_full_queue_answers_503_with_Retry_After_and_the_server_recovers()
    {
        var model = LeNet();
        await using var server = await InferenceServer.StartAsync(model, new ServeOptions { Port = 0, MaxBatch = 1, MaxWaitMs = 0, MaxQueue = 1 });
        using var client = new HttpClient { BaseAddress = server.Address };
        byte[] png = DigitPng(0);
        var responses = await Task.WhenAll(Enumerable.Range(0, 64).Select(_ => client.PostAsync("/v1/predict", Png(png))));
        Assert.All(responses, r => Assert.True(r.StatusCode is HttpStatusCode.OK or HttpStatusCode.ServiceUnavailable, r.StatusCode.ToString()));
        var busy = responses.Where(r => r.StatusCode == HttpStatusCode.ServiceUnavailable).ToList();
        Assert.NotEmpty(busy);
        Assert.All(busy, r => Assert.Equal("1", r.Headers.RetryAfter!.ToString()));
        Assert.Contains("busy", await busy[0].Content.ReadAsStringAsync());
        var (status, _) = await Post(client, Png(png));
        Assert.Equal(HttpStatusCode.OK, status);
    }

    [Fact]
    public async Task Bad_requests_get_400_413_and_415_with_a_message()
    {
        await using var server = await InferenceServer.StartAsync(LeNet(), new ServeOptions { Port = 0, MaxBodyBytes = 64 << 10, MaxImagePixels = 100 * 100 });
        using var client = new HttpClient { BaseAddress = server.Address };
        async Task Expect(HttpStatusCode code, HttpContent content, string words)
        {
            var response = await client.PostAsync("/v1/predict", content);
            string body = await response.Content.ReadAsStringAsync();
            Assert.Equal(code, response.StatusCode);
            Assert.Contains(words, (string)JsonNode.Parse(body)!["error"]!);
        }
        await Expect(HttpStatusCode.UnsupportedMediaType, new StringContent("hello", Encoding.UTF8, "text/plain"), "Content-Type 'text/plain' is not read");
        await Expect(HttpStatusCode.BadRequest, Png([1, 2, 3, 4, 5]), "not a PNG, JPEG, BMP or GIF");
        await Expect(HttpStatusCode.BadRequest, new StringContent("{\"data\": [1, 2", Encoding.UTF8, "application/json"), "not valid JSON");
        await Expect(HttpStatusCode.BadRequest, new StringContent("{\"data\": [1, 2, 3]}", Encoding.UTF8, "application/json"), "has 3 values; the model's input (None, 28, 28, 1) takes 784");
        await Expect(HttpStatusCode.RequestEntityTooLarge, Png(new byte[100_000]), "larger than 65,536 bytes");
        var broken = new ByteArrayContent(Encoding.ASCII.GetBytes("--b\r\nContent-Disposition: form-data; name=\"f\"; filename=\"x.png\"\r\n\r\nabc"));
        broken.Headers.ContentType = MediaTypeHeaderValue.Parse("multipart/form-data; boundary=b");
        await Expect(HttpStatusCode.BadRequest, broken, "the request could not be read");
        using var big = new MemoryStream();
        new StbImageWriteSharp.ImageWriter().WritePng(new byte[200 * 200], 200, 200, StbImageWriteSharp.ColorComponents.Grey, big);
        await Expect(HttpStatusCode.RequestEntityTooLarge, Png(big.ToArray()), "the picture is 200×200; at most 10,000 pixels");
    }

    [Fact]
    public async Task Health_and_model_description()
    {
        await using var server = await InferenceServer.StartAsync(LeNet(), new ServeOptions { Port = 0 }, "lenet.trilo");
        using var client = new HttpClient { BaseAddress = server.Address };
        Assert.Equal("ok\n", await client.GetStringAsync("/healthz"));
        var model = JsonNode.Parse(await client.GetStringAsync("/v1/model"))!;
        Assert.Equal("lenet.trilo", (string)model["name"]!);
        Assert.Equal("classifier", (string)model["kind"]!);
        Assert.Equal("[28,28,1]", model["input_shape"]!.ToJsonString());
        Assert.Equal(10, model["classes"]!.AsArray().Count);
        Assert.Contains("Total params: 1,199,882", (string)model["summary"]!);
    }

    [Fact]
    public async Task A_segmentation_model_answers_a_mask_png_and_a_detector_boxes()
    {
        RandomSeed.Set(2);
        var unet = UNet.Build([32, 32, 1], 3, baseFilters: 4, depth: 2);
        await using var server = await InferenceServer.StartAsync(unet, new ServeOptions { Port = 0 });
        using var client = new HttpClient { BaseAddress = server.Address };
        using var scene = new MemoryStream();
        var grey = Enumerable.Range(0, 32 * 32).Select(i => (byte)(i * 37 % 256)).ToArray();
        new StbImageWriteSharp.ImageWriter().WritePng(grey, 32, 32, StbImageWriteSharp.ColorComponents.Grey, scene);
        var (status, answer) = await Post(client, Png(scene.ToArray()));
        Assert.Equal(HttpStatusCode.OK, status);
        var mask = ImageFile.Decode(Convert.FromBase64String((string)answer["mask_png"]!)).ToGray();
        var probabilities = unet.Predict(ModelInput.FromPicture(ImageFile.Decode(scene.ToArray()), unet.InputShape, null)).ToArray();
        for (int p = 0; p < 32 * 32; p++)
        {
            int best = 0;
            for (int c = 1; c < 3; c++) if (probabilities[p * 3 + c] > probabilities[p * 3 + best]) best = c;
            Assert.Equal(best, mask.Pixels[p]);
        }

        var detector = Vision.Detection.RetinaNet.Build([128, 128, 1], ["a", "b"]);
        await using var detecting = await InferenceServer.StartAsync(detector, new ServeOptions { Port = 0 });
        Assert.Equal("detector", detecting.Kind);
        using var detectClient = new HttpClient { BaseAddress = detecting.Address };
        var (detectStatus, boxes) = await Post(detectClient, Png(DigitPng(1)));
        Assert.Equal(HttpStatusCode.OK, detectStatus);
        Assert.NotNull(boxes["boxes"]);
    }

    [Fact]
    public async Task Stopping_answers_the_requests_in_flight_first()
    {
        // A model slow enough (VGG16's convolutions at 64×64, ~50 ms a batch of 4) that all 24 requests are inside the server at once.
        RandomSeed.Set(4);
        var model = Vgg16.Build(includeTop: false, inputShape: [64, 64, 3]);
        var server = await InferenceServer.StartAsync(model, new ServeOptions { Port = 0, MaxBatch = 4, MaxWaitMs = 20, WarmupPasses = 2 });   // two warm-up passes: this model takes ~50 ms a batch
        using var client = new HttpClient { BaseAddress = server.Address };
        var pending = Enumerable.Range(0, 24).Select(i => Post(client, Png(DigitPng(i)))).ToArray();
        // Stop with 8 inside, or with any inside once 2 s have passed: on a loaded machine (the whole suite at once) the
        // server can answer each request as it arrives, and waiting for 8 then found all 24 done.
        var clock = System.Diagnostics.Stopwatch.StartNew();
        int inside;
        while ((inside = server.InFlight) < 8 && !(inside > 0 && clock.Elapsed.TotalSeconds > 2) && clock.Elapsed.TotalSeconds < 30) await Task.Delay(1);
        Assert.True(inside > 0, "no request reached the server before the stop");
        await server.StopAsync();
        // Requests inside the server when the stop began are all answered (a request dropped half-way fails here); those
        // that arrive after it may be refused at the door, never answered with an error.
        var answers = await Task.WhenAll(pending.Select(async p => { try { return (await p).Status; } catch (HttpRequestException) { return (HttpStatusCode)0; } }));
        Assert.All(answers, a => Assert.True(a is HttpStatusCode.OK or 0, a.ToString()));
        Assert.True(answers.Count(a => a == HttpStatusCode.OK) >= inside, $"{inside} requests were inside at the stop, {answers.Count(a => a == HttpStatusCode.OK)} answered");
        await server.DisposeAsync();
    }
}
