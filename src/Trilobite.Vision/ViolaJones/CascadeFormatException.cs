namespace Trilobite.Vision.ViolaJones;

/// <summary>
/// A cascade file that cannot be read: not XML, truncated, or with an element that is missing or malformed.
/// The message names the file and the element (as a path such as <c>cascade/stages/_[3]/stageThreshold</c>).
/// </summary>
public sealed class CascadeFormatException : FormatException
{
    /// <summary>The message reads "<paramref name="file"/>: <paramref name="element"/>: <paramref name="problem"/>".</summary>
    /// <param name="file">The file (or stream name) being read.</param>
    /// <param name="element">Path of the offending element, such as <c>cascade/stages/_[3]/stageThreshold</c>.</param>
    /// <param name="problem">What is wrong with it.</param>
    /// <param name="inner">The parser's own exception, if any.</param>
    public CascadeFormatException(string file, string element, string problem, Exception? inner = null)
        : base($"{file}: {element}: {problem}", inner)
    {
        File = file;
        Element = element;
    }

    /// <summary>The file (or stream name) that was being read.</summary>
    public string File { get; }

    /// <summary>Path of the offending element inside the document.</summary>
    public string Element { get; }
}
