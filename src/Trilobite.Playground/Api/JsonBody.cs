using System.Reflection;
using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Http.Features;

namespace Trilobite.Playground.Api;

/// <summary>
/// Reads a JSON request body with a size limit of its own (so the limit holds behind any server), turning every way a
/// body can be wrong into a 400, 413 or 415 <see cref="ApiException"/> whose message names the member and says what it
/// needs, in the API's words (camelCase names, "a whole number"), never .NET's, and never echoing more than an excerpt.
/// </summary>
public static partial class JsonBody
{
    /// <summary>Requests: strict numbers (no "NaN" strings), no unknown members, bounded depth.</summary>
    public static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web)
    {
        UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
        NumberHandling = JsonNumberHandling.Strict,
        MaxDepth = 16,
    };

    /// <summary>
    /// Answers: a diverged network's losses and weights are NaN or ±Infinity, which JSON numbers cannot carry; they are
    /// written as the strings "NaN", "Infinity" and "-Infinity" (JavaScript's Number() reads them back).
    /// </summary>
    public static readonly JsonSerializerOptions ResponseOptions = new(JsonSerializerDefaults.Web)
    {
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
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
        // A body must say it is JSON: a cross-site form can post text/plain without asking first, but not application/json.
        if (request.ContentType is not { } type || !type.StartsWith("application/json", StringComparison.OrdinalIgnoreCase))
            throw new ApiException(StatusCodes.Status415UnsupportedMediaType,
                $"Send JSON with Content-Type: application/json{(request.ContentType is { } t ? $", not '{Excerpt.Of(t, 40)}'" : "")}.");
        try
        {
            return JsonSerializer.Deserialize<T>(body, Options) ?? throw ApiException.BadRequest("The body must be a JSON object, not null.");
        }
        catch (JsonException e) { throw ApiException.BadRequest(Describe<T>(e)); }
        catch (NotSupportedException) { throw ApiException.BadRequest("Malformed JSON: the body does not have the shape this endpoint reads."); }
    }

    /// <summary>"Malformed JSON at $.noise: noise must be a number." rather than "could not be converted to System.Double".</summary>
    private static string Describe<T>(JsonException e)
    {
        if (UnknownMember().Match(e.Message) is { Success: true } unknown)
            return $"Malformed JSON: unknown member '{Excerpt.Of(unknown.Groups["name"].Value, 40)}'. Known: {string.Join(", ", MemberNames<T>())}.";
        string where = e.Path is { Length: > 0 } path ? $" at {Excerpt.Of(path, 60)}" : "";
        string member = e.Path is { } p && MemberName().Match(p) is { Success: true } m ? m.Groups["name"].Value : "";
        var property = typeof(T).GetProperties().FirstOrDefault(q => JsonNamingPolicy.CamelCase.ConvertName(q.Name) == member);
        bool wrongKind = e.Message.Contains("could not be converted", StringComparison.Ordinal);
        if (property != null && wrongKind)
            return $"Malformed JSON{where}: {member} must be {Kind(property.PropertyType)}.";
        if (wrongKind && e.Path is null or "$")
            return "Malformed JSON: the body must be a JSON object {…} with the members " + string.Join(", ", MemberNames<T>()) + ".";
        string position = e.LineNumber is long line && e.BytePositionInLine is long b ? $" (line {line + 1}, byte {b + 1})" : "";
        return $"Malformed JSON{where}: not valid JSON{position}.";
    }

    private static IEnumerable<string> MemberNames<T>() =>
        typeof(T).GetProperties().Where(p => p.GetCustomAttribute<JsonIgnoreAttribute>() == null).Select(p => JsonNamingPolicy.CamelCase.ConvertName(p.Name));

    private static string Kind(Type type) => type switch
    {
        _ when type == typeof(int) || type == typeof(int?) => "a whole number",
        _ when type == typeof(double) || type == typeof(float) => "a number",
        _ when type == typeof(string) => "a string",
        _ when type == typeof(string[]) => "an array of strings",
        _ when type == typeof(int[]) => "an array of whole numbers",
        _ when type == typeof(bool) => "true or false",
        _ => "of another kind",
    };

    private static ApiException TooLarge(long maxBytes) =>
        new(StatusCodes.Status413PayloadTooLarge, $"The request body is larger than the {maxBytes / 1024} KiB this server accepts.");

    [GeneratedRegex("^The JSON property '(?<name>.*)' could not be mapped", RegexOptions.Singleline)]
    private static partial Regex UnknownMember();

    [GeneratedRegex(@"^\$\.(?<name>[A-Za-z]+)")]
    private static partial Regex MemberName();
}
