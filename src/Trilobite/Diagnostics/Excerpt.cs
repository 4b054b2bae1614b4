using System.Text;

namespace Trilobite;

/// <summary>
/// A bounded, printable excerpt of untrusted text (a file's value, a request's field) for an error message: a hostile
/// input can neither make the message huge nor smuggle control characters or a second line into it.
/// </summary>
public static class Excerpt
{
    /// <summary>Characters kept by default before an excerpt is cut off.</summary>
    public const int DefaultLength = 80;

    /// <paramref name="text"/> with each control character as '?', cut after <paramref name="maxLength"/> characters with "…"; "null" for null.
    public static string Of(string? text, int maxLength = DefaultLength)
    {
        if (text == null) return "null";
        var sb = new StringBuilder(Math.Min(text.Length, maxLength) + 1);
        foreach (char c in text)
        {
            if (sb.Length == maxLength) return sb.Append('…').ToString();
            sb.Append(char.IsControl(c) ? '?' : c);
        }
        return sb.ToString();
    }
}
