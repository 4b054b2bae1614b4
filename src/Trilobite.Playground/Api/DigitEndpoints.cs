using Microsoft.Extensions.Options;
using Trilobite.Playground.Digits;

namespace Trilobite.Playground.Api;

/// <summary>The draw-a-digit API: the classifier's status, a prediction, and "what the network sees".</summary>
public static class DigitEndpoints
{
    /// <summary>Maps <c>GET /api/digits/status</c>, <c>POST /api/digits/predict</c> and <c>POST /api/digits/insight</c>.</summary>
    public static void MapDigitEndpoints(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/digits");
        api.MapGet("/status", (DigitClassifier classifier) => Results.Ok(classifier.Status));
        api.MapPost("/predict", async (HttpContext context, DigitClassifier classifier, IOptions<PlaygroundOptions> options) =>
        {
            var drawing = await JsonBody.ReadAsync<DrawingRequest>(context, options.Value.MaxRequestBytes).ConfigureAwait(false);
            return Results.Ok(classifier.Predict(drawing.Decode(), drawing.Width, drawing.Height));
        });
        api.MapPost("/insight", async (HttpContext context, DigitClassifier classifier, IOptions<PlaygroundOptions> options) =>
        {
            var drawing = await JsonBody.ReadAsync<DrawingRequest>(context, options.Value.MaxRequestBytes).ConfigureAwait(false);
            return Results.Ok(classifier.See(drawing.Decode(), drawing.Width, drawing.Height, drawing.TargetClass));
        });
    }
}
