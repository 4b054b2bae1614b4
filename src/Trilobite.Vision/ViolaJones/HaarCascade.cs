using System.Reflection;

namespace Trilobite.Vision.ViolaJones;

/// <summary>
/// A boosted cascade of Haar-feature classifiers for a fixed detection window (OpenCV's
/// <c>opencv-cascade-classifier</c> model). Load one of OpenCV's <c>haarcascade_*.xml</c> files with
/// <see cref="Load(string)"/>, train one with <c>Training.CascadeTrainer</c>, save it with <see cref="Save(string)"/>.
/// <code>
/// var cascade = HaarCascade.Load("haarcascade_frontalface_default.xml");
/// var faces = new CascadeDetector(cascade).DetectMultiScale(ImageFile.Load("me.png").ToGray());
/// </code>
/// </summary>
public sealed class HaarCascade
{
    /// <summary>Largest window side accepted (OpenCV's cascades use 20–24).</summary>
    public const int MaxWindowSide = 1024;

    /// <summary>
    /// A cascade over a <paramref name="windowWidth"/> × <paramref name="windowHeight"/> window (3 to <see cref="MaxWindowSide"/>
    /// pixels a side); stages and features are copied. Throws <see cref="ArgumentException"/> when there is no stage, a
    /// feature leaves the window or a classifier names a feature index out of range.
    /// </summary>
    public HaarCascade(int windowWidth, int windowHeight, IReadOnlyList<CascadeStage> stages, IReadOnlyList<HaarFeature> features)
    {
        ArgumentNullException.ThrowIfNull(stages);
        ArgumentNullException.ThrowIfNull(features);
        if (windowWidth < 3 || windowHeight < 3 || windowWidth > MaxWindowSide || windowHeight > MaxWindowSide)
            throw new ArgumentOutOfRangeException(nameof(windowWidth), $"HaarCascade: window must be 3..{MaxWindowSide} pixels a side, got {windowWidth}x{windowHeight}.");
        if (stages.Count == 0)
            throw new ArgumentException("HaarCascade: needs at least one stage.", nameof(stages));
        for (int f = 0; f < features.Count; f++)
            if (!features[f].FitsIn(windowWidth, windowHeight))
                throw new ArgumentException($"HaarCascade: feature {f} ({features[f]}) leaves the {windowWidth}x{windowHeight} window.", nameof(features));
        foreach (var stage in stages)
            foreach (var weak in stage.Classifiers)
                foreach (var node in weak.Nodes)
                    if ((uint)node.FeatureIndex >= (uint)features.Count)
                        throw new ArgumentException($"HaarCascade: a classifier uses feature {node.FeatureIndex}, but there are {features.Count}.", nameof(stages));
        WindowWidth = windowWidth;
        WindowHeight = windowHeight;
        Stages = stages.ToArray();
        Features = features.ToArray();
    }

    /// <summary>Width of the detection window, in pixels.</summary>
    public int WindowWidth { get; }
    /// <summary>Height of the detection window, in pixels.</summary>
    public int WindowHeight { get; }
    /// <summary>The stages in the order a window must pass them.</summary>
    public IReadOnlyList<CascadeStage> Stages { get; }
    /// <summary>The features the tree nodes refer to by <see cref="TreeNode.FeatureIndex"/>.</summary>
    public IReadOnlyList<HaarFeature> Features { get; }

    /// <summary>Reads an OpenCV cascade XML file (new format). Throws <see cref="CascadeFormatException"/> when malformed.</summary>
    public static HaarCascade Load(string path) => CascadeXmlReader.Load(path);

    /// <summary>Reads an OpenCV cascade XML document from a stream; <paramref name="name"/> appears in error messages.</summary>
    public static HaarCascade Load(Stream stream, string name) => CascadeXmlReader.Read(stream, name);

    /// <summary>Writes the cascade in OpenCV's XML format (loadable by OpenCV and by <see cref="Load(string)"/>).</summary>
    public void Save(string path) => CascadeXmlWriter.Write(this, path);

    /// <summary>Writes the cascade in OpenCV's XML format to a stream.</summary>
    public void Save(Stream stream) => CascadeXmlWriter.Write(this, stream);

    /// <summary>OpenCV's <c>haarcascade_frontalface_default.xml</c> (BSD-licensed), shipped inside this assembly.</summary>
    public static HaarCascade FrontalFaceDefault()
    {
        const string name = "Trilobite.Vision.haarcascade_frontalface_default.xml";
        using var stream = Assembly.GetExecutingAssembly().GetManifestResourceStream(name)
            ?? throw new InvalidOperationException($"Embedded resource {name} is missing from Trilobite.Vision.");
        return Load(stream, "haarcascade_frontalface_default.xml (embedded)");
    }
}
