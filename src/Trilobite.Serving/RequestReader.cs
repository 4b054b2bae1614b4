using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Trilobite.Vision.Data;
using Trilobite.Vision.Imaging;

namespace Trilobite.Serving;

/// <summary>
/// Turns a POST /v1/predict body into one input sample: a PNG/JPEG/BMP/GIF body with its image Content-Type, a multipart
/// form with one file, or JSON <c>{"data": [...], "shape": [...]}</c> (or <c>{"instances": [nested arrays]}</c>) of the
/// model's input shape. Pictures are checked from their headers (size, pixel count) before they are decoded and
/// prepared as the model's training data was (<see cref="ModelInput"/>). Every refusal is a <see cref="RequestException"/>
/// carrying its status code and a one-line message.
/// </summary>
internal static class RequestReader
{
    public static async Task<(Tensor Input, (int Width, int Height)? Picture)> ReadAsync(HttpRequest request, Model model, ServeOptions options, CancellationToken cancel)
    {
        string type = request.ContentType?.Split(';')[0].Trim().ToLowerInvariant() ?? "";
        if (type.StartsWith("image/", StringComparison.Ordinal)) return Picture(await BodyAsync(request.Body, options, cancel), model, options);
        if (type == "multipart/form-data")
        {
            var form = await request.ReadFormAsync(cancel);
            var file = form.Files.Count == 1 ? form.Files[0] : throw new RequestException(400, $"a multipart request carries one picture file; this one has {form.Files.Count}.");
            await using var stream = file.OpenReadStream();
            return Picture(await BodyAsync(stream, options, cancel), model, options);
        }
        if (type == "application/json") return (Json(await BodyAsync(request.Body, options, cancel), model), null);
        throw new RequestException(415, $"Content-Type '{Clip(type)}' is not read; send image/png, image/jpeg, multipart/form-data with one picture, or application/json.");
    }

    private static async Task<byte[]> BodyAsync(Stream body, ServeOptions options, CancellationToken cancel)
    {
        using var buffer = new MemoryStream();
        byte[] chunk = System.Buffers.ArrayPool<byte>.Shared.Rent(16384);   // pooled: a digit's PNG is 300 bytes, and 80 KiB a request was garbage
        try
        {
            int read;
            while ((read = await body.ReadAsync(chunk, cancel)) > 0)
            {
                if (buffer.Length + read > options.MaxBodyBytes) throw new RequestException(413, $"the body is larger than {options.MaxBodyBytes:N0} bytes.");
                buffer.Write(chunk, 0, read);
            }
        }
        finally { System.Buffers.ArrayPool<byte>.Shared.Return(chunk); }
        if (buffer.Length == 0) throw new RequestException(400, "the body is empty.");
        return buffer.ToArray();
    }

    private static (Tensor, (int, int)?) Picture(byte[] bytes, Model model, ServeOptions options)
    {
        var (width, height) = ImageFile.PeekSize(bytes) ?? throw new RequestException(400, "the body is not a PNG, JPEG, BMP or GIF picture.");
        if ((long)width * height > options.MaxImagePixels || width < 1 || height < 1)
            throw new RequestException(413, $"the picture is {width}×{height}; at most {options.MaxImagePixels:N0} pixels are decoded.");
        RgbImage picture;
        try { picture = ImageFile.Decode(bytes, "the picture"); }
        catch (Exception e) when (e is InvalidDataException or NotSupportedException) { throw new RequestException(400, e.Message); }
        try { return (ModelInput.FromPicture(picture, model.InputShape, model.ClassNames), (picture.Width, picture.Height)); }
        catch (ArgumentException e) { throw new RequestException(400, e.Message + " Send it a JSON tensor instead."); }
    }

    private static Tensor Json(byte[] bytes, Model model)
    {
        JsonElement root;
        try { root = JsonDocument.Parse(bytes, new JsonDocumentOptions { MaxDepth = 16 }).RootElement; }
        catch (JsonException e) { throw new RequestException(400, $"the body is not valid JSON ({Clip(e.Message)})."); }
        int[] shape = model.InputShape;
        long size = shape.Aggregate(1L, (a, b) => a * b);
        var values = new List<float>();
        if (root.ValueKind != JsonValueKind.Object) throw new RequestException(400, "the JSON body must be an object with 'data' (and 'shape') or 'instances'.");
        if (root.TryGetProperty("data", out var data))
        {
            if (root.TryGetProperty("shape", out var given) && !(given.ValueKind == JsonValueKind.Array && given.EnumerateArray().Select(d => d.TryGetInt32(out int v) ? v : -1).SequenceEqual(shape)))
                throw new RequestException(400, $"'shape' must be the model's input shape [{string.Join(", ", shape)}].");
            Flatten(data, values, size);
        }
        else if (root.TryGetProperty("instances", out var instances)) Flatten(instances, values, size);
        else throw new RequestException(400, "the JSON body needs 'data' (a flat list, with an optional 'shape') or 'instances' (nested lists).");
        if (values.Count != size) throw new RequestException(400, $"the tensor has {values.Count} values; the model's input {ShapeText.WithBatch(shape)} takes {size} per sample.");
        return Tensor.FromArray([.. values], [1, .. shape], Device.Cpu);
    }

    private static void Flatten(JsonElement element, List<float> values, long limit)
    {
        if (element.ValueKind == JsonValueKind.Number)
        {
            if (values.Count >= limit) throw new RequestException(400, $"the tensor has more than the {limit} values the model's input takes.");
            values.Add(element.TryGetSingle(out float v) && float.IsFinite(v) ? v : throw new RequestException(400, "every value must be a finite number."));
            return;
        }
        if (element.ValueKind != JsonValueKind.Array) throw new RequestException(400, "the tensor must be numbers in (nested) lists.");
        foreach (var item in element.EnumerateArray()) Flatten(item, values, limit);
    }

    private static string Clip(string text) => text.Length <= 80 ? text : text[..77] + "...";
}

/// <summary>A request the server refuses: its HTTP status and a one-line reason.</summary>
internal sealed class RequestException(int status, string message) : Exception(message)
{
    public int Status { get; } = status;
}
