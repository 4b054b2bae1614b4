using System.CommandLine.Parsing;
using System.Text.RegularExpressions;

namespace Trilobite.Cli;

/// <summary>
/// System.CommandLine's parse errors in the user's words and on one line: "--epochs needs a whole number, got 'abc'",
/// not "as expected type 'System.Int32'"; a list of allowed values joined by commas; the option named.
/// </summary>
internal static partial class ParseErrors
{
    /// <summary>The error to show: an unrecognized token explains more than the missing command it causes.</summary>
    public static ParseError First(IReadOnlyList<ParseError> errors) =>
        errors.FirstOrDefault(e => e.Message.StartsWith("Unrecognized", StringComparison.Ordinal)) ?? errors[0];

    public static string Describe(ParseError error)
    {
        var typed = ExpectedType().Match(error.Message);
        if (typed.Success)
        {
            string kind = typed.Groups["type"].Value switch
            {
                "System.Int32" or "System.Nullable`1[System.Int32]" => "a whole number",
                "System.Double" or "System.Nullable`1[System.Double]" => "a number (with '.' for decimals)",
                "System.Boolean" => "true or false",
                var other => "a value of kind " + other.Replace("System.", ""),
            };
            return $"{typed.Groups["name"].Value} needs {kind}, got '{Excerpt.Of(typed.Groups["value"].Value)}'.";
        }
        string message = Whitespace().Replace(error.Message, " ").Replace("' '", "', '").Trim();
        if (error.SymbolResult is OptionResult { Option.Name: var name } && !message.Contains(name, StringComparison.Ordinal))
            message = $"{name}: {message}";
        return message;
    }

    [GeneratedRegex(@"^Cannot parse argument '(?<value>.*)' for (?:option|command|argument) '(?<name>[^']*)' as expected type '(?<type>[^']*)'\.?$", RegexOptions.Singleline)]
    private static partial Regex ExpectedType();

    [GeneratedRegex(@"\s+")]
    private static partial Regex Whitespace();
}
