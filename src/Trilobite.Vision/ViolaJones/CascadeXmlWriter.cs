using System.Globalization;
using System.Text;
using System.Xml;

namespace Trilobite.Vision.ViolaJones;

/// <summary>Writes a <see cref="HaarCascade"/> in OpenCV's new cascade XML format (what the reader loads).</summary>
internal static class CascadeXmlWriter
{
    public static void Write(HaarCascade cascade, string path)
    {
        using var stream = File.Create(path);
        Write(cascade, stream);
    }

    public static void Write(HaarCascade cascade, Stream stream)
    {
        ArgumentNullException.ThrowIfNull(cascade);
        var settings = new XmlWriterSettings { Indent = true, IndentChars = "  ", Encoding = new UTF8Encoding(false) };
        using var w = XmlWriter.Create(stream, settings);
        w.WriteStartDocument();
        w.WriteStartElement("opencv_storage");
        w.WriteStartElement("cascade");
        w.WriteAttributeString("type_id", "opencv-cascade-classifier");
        w.WriteElementString("stageType", "BOOST");
        w.WriteElementString("featureType", "HAAR");
        w.WriteElementString("height", I(cascade.WindowHeight));
        w.WriteElementString("width", I(cascade.WindowWidth));
        int maxWeak = cascade.Stages.Max(s => s.Classifiers.Count);
        w.WriteStartElement("stageParams");
        w.WriteElementString("maxWeakCount", I(maxWeak));
        w.WriteEndElement();
        w.WriteStartElement("featureParams");
        w.WriteElementString("maxCatCount", "0");
        w.WriteEndElement();
        w.WriteElementString("stageNum", I(cascade.Stages.Count));

        w.WriteStartElement("stages");
        foreach (var stage in cascade.Stages)
        {
            w.WriteStartElement("_");
            w.WriteElementString("maxWeakCount", I(stage.Classifiers.Count));
            w.WriteElementString("stageThreshold", F(stage.Threshold));
            w.WriteStartElement("weakClassifiers");
            foreach (var weak in stage.Classifiers)
            {
                w.WriteStartElement("_");
                w.WriteElementString("internalNodes", string.Join(" ",
                    weak.Nodes.Select(n => $"{I(n.Left)} {I(n.Right)} {I(n.FeatureIndex)} {F(n.Threshold)}")));
                w.WriteElementString("leafValues", string.Join(" ", weak.Leaves.Select(F)));
                w.WriteEndElement();
            }
            w.WriteEndElement();
            w.WriteEndElement();
        }
        w.WriteEndElement();

        w.WriteStartElement("features");
        foreach (var feature in cascade.Features)
        {
            w.WriteStartElement("_");
            w.WriteStartElement("rects");
            foreach (var r in feature.Rects)
                w.WriteElementString("_", $"{I(r.X)} {I(r.Y)} {I(r.Width)} {I(r.Height)} {F(r.Weight)}");
            w.WriteEndElement();
            w.WriteEndElement();
        }
        w.WriteEndElement();

        w.WriteEndElement();
        w.WriteEndElement();
        w.WriteEndDocument();
    }

    private static string I(int v) => v.ToString(CultureInfo.InvariantCulture);

    // Float values round-trip exactly ("R" gives the shortest string that parses back to the same float).
    private static string F(float v) => v.ToString("R", CultureInfo.InvariantCulture);
}
