using System.CommandLine;
using System.Globalization;

namespace Trilobite.Cli.Commands;

/// <summary>
/// Accepted ranges of option values, checked while parsing: a value outside them is a usage error (exit code 2) of one
/// line naming the option, the range and what was given, before any work starts.
/// </summary>
internal static class OptionRules
{
    public static Option<int> Range(this Option<int> option, int min, int max, string? why = null)
    {
        option.Validators.Add(r =>
        {
            if (!Parsed(r, option, out int v)) return;
            if (v < min || v > max) r.AddError(OutOfRange(option, $"a whole number from {min} to {max}", v.ToString(CultureInfo.InvariantCulture), why));
        });
        return option;
    }

    public static Option<int?> Range(this Option<int?> option, int min, int max, string? why = null)
    {
        option.Validators.Add(r =>
        {
            if (Parsed(r, option, out int? value) && value is int v && (v < min || v > max))
                r.AddError(OutOfRange(option, $"a whole number from {min} to {max}", v.ToString(CultureInfo.InvariantCulture), why));
        });
        return option;
    }

    /// <summary>A number in (min, max] when <paramref name="minExclusive"/>, else [min, max]; also [min, max) when <paramref name="maxExclusive"/>. NaN and infinities are refused.</summary>
    public static Option<double> Range(this Option<double> option, double min, double max, bool minExclusive = false, bool maxExclusive = false)
    {
        option.Validators.Add(r =>
        {
            if (Parsed(r, option, out double v)) CheckNumber(r, option, v, min, max, minExclusive, maxExclusive);
        });
        return option;
    }

    /// <summary>The same range for an option that may be left out (its default then comes from elsewhere).</summary>
    public static Option<double?> Range(this Option<double?> option, double min, double max, bool minExclusive = false, bool maxExclusive = false)
    {
        option.Validators.Add(r =>
        {
            if (Parsed(r, option, out double? value) && value is double v) CheckNumber(r, option, v, min, max, minExclusive, maxExclusive);
        });
        return option;
    }

    private static void CheckNumber(System.CommandLine.Parsing.OptionResult r, Option option, double v, double min, double max, bool minExclusive, bool maxExclusive)
    {
        bool inside = double.IsFinite(v) && (minExclusive ? v > min : v >= min) && (maxExclusive ? v < max : v <= max);
        if (inside) return;
        string range = $"{(minExclusive ? "more than" : "at least")} {Text(min)} and {(maxExclusive ? "less than" : "at most")} {Text(max)}";
        r.AddError(OutOfRange(option, "a number " + range, Text(v), null));
    }

    /// <summary>The value, unless it did not parse (that error is System.CommandLine's own, reported once).</summary>
    private static bool Parsed<T>(System.CommandLine.Parsing.OptionResult r, Option<T> option, out T value)
    {
        try { value = r.GetValue(option)!; return true; }
        catch (InvalidOperationException) { value = default!; return false; }
    }

    private static string OutOfRange(Option option, string expected, string got, string? why) =>
        $"{option.Name} must be {expected}{(why == null ? "" : $" ({why})")}, got {got}.";

    private static string Text(double v) => v.ToString("G", CultureInfo.InvariantCulture);
}
