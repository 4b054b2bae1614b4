namespace Trilobite;

/// <summary>
/// The text a user sees for a failure: the exception's message without .NET's additions (" (Parameter 'x')", "Actual
/// value was …") and on one line. Command lines, the playground and the model loader all report through it.
/// </summary>
public static class ErrorText
{
    /// <summary>The first line of <paramref name="e"/>'s message, trimmed, without ArgumentException's " (Parameter 'name')".</summary>
    public static string Of(Exception e)
    {
        string message = e.Message;
        if (e is ArgumentException { ParamName: { } name }) message = message.Replace($" (Parameter '{name}')", "");
        int newline = message.IndexOfAny(['\r', '\n']);
        if (newline >= 0) message = message[..newline];
        return message.Trim();
    }
}
