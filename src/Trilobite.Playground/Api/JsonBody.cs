using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.AspNetCore.Http.Features;

namespace Trilobite.Playground.Api;

/// <summary>
/// Reads a JSON request body with a size limit of its own (so the limit holds behind any server),
/// turning every way a body can be wrong into a 400 or 413 <see cref="ApiException"/> with a message.
/// </summary>
public static class JsonBody
{
    public static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web)
    {
        UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
        NumberHandling = JsonNumberHandling.Strict,
        MaxDepth = 16,
    };

    /// <summary>The body as <typeparamref name="T"/>; <paramref name="empty"/> when there is none (or an error if null).</summary>
    public static async Task<T> ReadAsync<T>(HttpContext context, long maxBytes, T? empty = null) where T : class
    {
        var request = context.Request;
        if (request.ContentLength > maxBytes) throw TooLarge(maxBytes);
        if (context.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } limit) limit.MaxRequestBodySize = maxBytes;
        byte[] body;
        try
        {
            using var buffer = new MemoryStream();
            var chunk = new byte[16 * 1024];
            int read;
            while ((read = await request.Body.ReadAsync(chunk, context.RequestAborted).ConfigureAwait(false)) > 0)
            {
                if (buffer.Length + read > maxBytes) throw TooLarge(maxBytes);
                buffer.Write(chunk, 0, read);
            }
            body = buffer.ToArray();
        }
        catch (BadHttpRequestException e) { throw new ApiException(e.StatusCode, e.Message); }
        if (body.Length == 0 || body.All(b => b is (byte)' ' or (byte)'\n' or (byte)'\r' or (byte)'\t'))
            return empty ?? throw ApiException.BadRequest("The request needs a JSON body.");
        if (request.ContentType is { } type && !type.StartsWith("application/json", StringComparison.OrdinalIgnoreCase))
            throw new ApiException(StatusCodes.Status415UnsupportedMediaType, $"Send JSON (Content-Type: application/json), not '{type}'.");
        try
        {
            return JsonSerializer.Deserialize<T>(body, Options) ?? throw ApiException.BadRequest("The body must be a JSON object, not null.");
        }
        catch (JsonException e)
        {
            string where = e.Path is { Length: > 0 } path ? $" at {path}" : "";
            throw ApiException.BadRequest($"Malformed JSON{where}: {FirstSentence(e.Message)}");
        }
        catch (NotSupportedException e) { throw ApiException.BadRequest($"Malformed JSON: {FirstSentence(e.Message)}"); }
    }

    private static ApiException TooLarge(long maxBytes) =>
        new(StatusCodes.Status413PayloadTooLarge, $"The request body is larger than the {maxBytes / 1024} KiB this server accepts.");

    private static string FirstSentence(string message)
    {
        int cut = message.IndexOf(". Path:", StringComparison.Ordinal);
        return cut > 0 ? message[..(cut + 1)] : message;
    }
}
