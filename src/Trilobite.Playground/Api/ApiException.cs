namespace Trilobite.Playground.Api;

/// <summary>A failure the client caused or can wait out, with the HTTP status to answer and a message to show.</summary>
public sealed class ApiException(int status, string message) : Exception(message)
{
    /// <summary>The HTTP status code to answer with.</summary>
    public int Status { get; } = status;

    /// <summary>A 400 Bad Request with <paramref name="message"/>.</summary>
    public static ApiException BadRequest(string message) => new(StatusCodes.Status400BadRequest, message);

    /// <summary>A 404 Not Found with <paramref name="message"/>.</summary>
    public static ApiException NotFound(string message) => new(StatusCodes.Status404NotFound, message);
}
