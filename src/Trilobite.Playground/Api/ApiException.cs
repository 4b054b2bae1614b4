namespace Trilobite.Playground.Api;

/// <summary>A failure the client caused or can wait out, with the HTTP status to answer and a message to show.</summary>
public sealed class ApiException(int status, string message) : Exception(message)
{
    public int Status { get; } = status;

    public static ApiException BadRequest(string message) => new(StatusCodes.Status400BadRequest, message);

    public static ApiException NotFound(string message) => new(StatusCodes.Status404NotFound, message);
}
