using System.Globalization;
using System.Xml;
using System.Xml.Linq;

namespace Trilobite.Vision.ViolaJones;

/// <summary>
/// Reads OpenCV's cascade XML (the "new" format written by opencv_traincascade and shipped as
/// <c>haarcascade_*.xml</c>):
/// <code>
/// &lt;opencv_storage&gt;&lt;cascade type_id="opencv-cascade-classifier"&gt;
///   &lt;stageType&gt;BOOST&lt;/stageType&gt; &lt;featureType&gt;HAAR&lt;/featureType&gt; &lt;height&gt;24&lt;/height&gt; &lt;width&gt;24&lt;/width&gt;
///   &lt;stages&gt;&lt;_&gt; &lt;stageThreshold&gt;t&lt;/stageThreshold&gt;
///       &lt;weakClassifiers&gt;&lt;_&gt; &lt;internalNodes&gt;left right featureIdx threshold …&lt;/internalNodes&gt;
///                            &lt;leafValues&gt;v0 v1 …&lt;/leafValues&gt; &lt;/_&gt;…&lt;/weakClassifiers&gt; &lt;/_&gt;…&lt;/stages&gt;
///   &lt;features&gt;&lt;_&gt;&lt;rects&gt;&lt;_&gt;x y w h weight&lt;/_&gt;…&lt;/rects&gt;[&lt;tilted&gt;0&lt;/tilted&gt;]&lt;/_&gt;…&lt;/features&gt;
/// &lt;/cascade&gt;&lt;/opencv_storage&gt;
/// </code>
/// The XML is read with DTDs prohibited, no resolver and a size limit. Any problem throws
/// <see cref="CascadeFormatException"/> naming the file and the element; tilted (45°) features and the old
/// <c>opencv-haar-classifier</c> format throw <see cref="NotSupportedException"/>.
/// </summary>
internal static class CascadeXmlReader
{
    /// <summary>Characters accepted in one document (OpenCV's largest cascade is under 1 MB).</summary>
    public const long MaxCharacters = 64L << 20;
    private const int MaxCount = 1 << 20;

    public static HaarCascade Load(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        Stream stream;
        try { stream = File.OpenRead(path); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new FileNotFoundException($"{path}: cannot open the cascade file ({ErrorText.Of(e)}).", path, e);
        }
        using (stream)
            return Read(stream, path);
    }

    public static HaarCascade Read(Stream stream, string file)
    {
        ArgumentNullException.ThrowIfNull(stream);
        var doc = ParseXml(stream, file);
        var root = doc.Root!;
        if (root.Name.LocalName != "opencv_storage")
            throw new CascadeFormatException(file, root.Name.LocalName, "the root element must be <opencv_storage>");
        var cascade = root.Elements().FirstOrDefault()
            ?? throw new CascadeFormatException(file, "opencv_storage", "is empty: no <cascade> element");
        string top = cascade.Name.LocalName;
        if ((string?)cascade.Attribute("type_id") == "opencv-haar-classifier")
            throw new NotSupportedException($"{file}: {top}: the old 'opencv-haar-classifier' format is not supported; convert it with OpenCV (CascadeClassifier.save) to the new format.");

        var ctx = new Context(file);
        string stageType = ctx.Text(cascade, "stageType", top).Trim();
        if (stageType != "BOOST")
            throw new CascadeFormatException(file, top + "/stageType", $"only BOOST stages are supported, got '{stageType}'");
        string featureType = ctx.Text(cascade, "featureType", top).Trim();
        if (featureType != "HAAR")
            throw new NotSupportedException($"{file}: {top}/featureType: only HAAR features are supported, got '{featureType}'.");
        int height = ctx.Int(cascade, "height", top, 3, HaarCascade.MaxWindowSide);
        int width = ctx.Int(cascade, "width", top, 3, HaarCascade.MaxWindowSide);

        var features = ReadFeatures(ctx, ctx.Child(cascade, "features", top), top + "/features", width, height);
        var stages = ReadStages(ctx, ctx.Child(cascade, "stages", top), top + "/stages", features.Count);
        return new HaarCascade(width, height, stages, features);
    }

    private static XDocument ParseXml(Stream stream, string file)
    {
        var settings = new XmlReaderSettings
        {
            DtdProcessing = DtdProcessing.Prohibit,
            XmlResolver = null,
            MaxCharactersInDocument = MaxCharacters,
            MaxCharactersFromEntities = 0,
            IgnoreComments = true,
            IgnoreProcessingInstructions = true,
        };
        using var reader = XmlReader.Create(stream, settings);
        try
        {
            var doc = XDocument.Load(reader, LoadOptions.None);
            if (doc.Root is null)
                throw new CascadeFormatException(file, "(document)", "no root element");
            return doc;
        }
        catch (XmlException e)
        {
            string near = string.IsNullOrEmpty(reader.Name) ? "(document)" : $"<{reader.Name}>";
            throw new CascadeFormatException(file, near, $"not well-formed XML (line {e.LineNumber}, position {e.LinePosition}): {ErrorText.Of(e)}", e);
        }
        catch (Exception e) when (e is System.Text.DecoderFallbackException or InvalidOperationException)
        {
            throw new CascadeFormatException(file, "(document)", $"cannot be read as XML: {ErrorText.Of(e)}", e);
        }
    }

    private static List<HaarFeature> ReadFeatures(Context ctx, XElement node, string path, int width, int height)
    {
        var items = ctx.Items(node, path);
        var features = new List<HaarFeature>(items.Count);
        for (int f = 0; f < items.Count; f++)
        {
            string fpath = $"{path}/_[{f}]";
            var tilted = items[f].Element("tilted");
            if (tilted is not null && ctx.ParseInt(tilted.Value, fpath + "/tilted") != 0)
                throw new NotSupportedException($"{ctx.File}: {fpath}/tilted: tilted (45°) Haar features are not supported.");
            string rpath = fpath + "/rects";
            var rectItems = ctx.Items(ctx.Child(items[f], "rects", fpath), rpath);
            if (rectItems.Count is < 1 or > HaarFeature.MaxRects)
                throw new CascadeFormatException(ctx.File, rpath, $"a feature needs 1 to {HaarFeature.MaxRects} rectangles, got {rectItems.Count}");
            var rects = new HaarRect[rectItems.Count];
            for (int r = 0; r < rects.Length; r++)
            {
                string p = $"{rpath}/_[{r}]";
                var v = ctx.Numbers(rectItems[r].Value, p, 5, 5);
                int x = ctx.ToInt(v[0], p), y = ctx.ToInt(v[1], p), w = ctx.ToInt(v[2], p), h = ctx.ToInt(v[3], p);
                if (x < 0 || y < 0 || w <= 0 || h <= 0 || x + w > width || y + h > height)
                    throw new CascadeFormatException(ctx.File, p, $"rectangle ({x}, {y}, {w}x{h}) does not lie inside the {width}x{height} window");
                rects[r] = new HaarRect(x, y, w, h, ctx.ToFloat(v[4], p));
            }
            features.Add(new HaarFeature(rects));
        }
        return features;
    }

    private static List<CascadeStage> ReadStages(Context ctx, XElement node, string path, int featureCount)
    {
        var items = ctx.Items(node, path);
        if (items.Count == 0)
            throw new CascadeFormatException(ctx.File, path, "has no stages");
        var stages = new List<CascadeStage>(items.Count);
        for (int s = 0; s < items.Count; s++)
        {
            string spath = $"{path}/_[{s}]";
            float threshold = ctx.ToFloat(ctx.Number(ctx.Text(items[s], "stageThreshold", spath), spath + "/stageThreshold"), spath + "/stageThreshold");
            string wpath = spath + "/weakClassifiers";
            var weakItems = ctx.Items(ctx.Child(items[s], "weakClassifiers", spath), wpath);
            if (weakItems.Count == 0)
                throw new CascadeFormatException(ctx.File, wpath, "a stage needs at least one weak classifier");
            var weak = new List<WeakClassifier>(weakItems.Count);
            for (int k = 0; k < weakItems.Count; k++)
                weak.Add(ReadWeak(ctx, weakItems[k], $"{wpath}/_[{k}]", featureCount));
            stages.Add(new CascadeStage(threshold, weak));
        }
        return stages;
    }

    private static WeakClassifier ReadWeak(Context ctx, XElement node, string path, int featureCount)
    {
        string npath = path + "/internalNodes", lpath = path + "/leafValues";
        var n = ctx.Numbers(ctx.Text(node, "internalNodes", path), npath, 4, int.MaxValue);
        if (n.Count % 4 != 0)
            throw new CascadeFormatException(ctx.File, npath, $"needs groups of 4 numbers (left right featureIdx threshold), got {n.Count}");
        var leaves = ctx.Numbers(ctx.Text(node, "leafValues", path), lpath, 1, int.MaxValue).Select(v => ctx.ToFloat(v, lpath)).ToArray();
        var nodes = new TreeNode[n.Count / 4];
        for (int i = 0; i < nodes.Length; i++)
        {
            int left = ctx.ToInt(n[4 * i], npath), right = ctx.ToInt(n[4 * i + 1], npath), feature = ctx.ToInt(n[4 * i + 2], npath);
            if ((uint)feature >= (uint)featureCount)
                throw new CascadeFormatException(ctx.File, npath, $"feature index {feature} is out of range (the file has {featureCount} features)");
            nodes[i] = new TreeNode(left, right, feature, ctx.ToFloat(n[4 * i + 3], npath));
        }
        try { return new WeakClassifier(nodes, leaves); }
        catch (ArgumentException e) { throw new CascadeFormatException(ctx.File, path, ErrorText.Of(e), e); }
    }

    /// <summary>Element lookup and number parsing that throw with the file and element path.</summary>
    private sealed class Context(string file)
    {
        public string File { get; } = file;

        public XElement Child(XElement parent, string name, string path) =>
            parent.Element(name) ?? throw new CascadeFormatException(File, $"{path}/{name}", "element is missing");

        public string Text(XElement parent, string name, string path) => Child(parent, name, path).Value;

        public List<XElement> Items(XElement list, string path)
        {
            var items = list.Elements().ToList();
            if (items.Count > MaxCount)
                throw new CascadeFormatException(File, path, $"too many entries ({items.Count})");
            foreach (var item in items)
                if (item.Name.LocalName != "_")
                    throw new CascadeFormatException(File, path, $"expected list items <_>, found <{item.Name.LocalName}>");
            return items;
        }

        public int Int(XElement parent, string name, string path, int min, int max)
        {
            string p = $"{path}/{name}";
            int v = ParseInt(Text(parent, name, path), p);
            if (v < min || v > max)
                throw new CascadeFormatException(File, p, $"must be between {min} and {max}, got {v}");
            return v;
        }

        public int ParseInt(string text, string path) => ToInt(Number(text, path), path);

        public double Number(string text, string path) => Numbers(text, path, 1, 1)[0];

        public List<double> Numbers(string text, string path, int min, int max)
        {
            var parts = text.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);
            if (parts.Length < min || parts.Length > max)
                throw new CascadeFormatException(File, path, min == max
                    ? $"expected {min} number(s), got {parts.Length}"
                    : $"expected at least {min} number(s), got {parts.Length}");
            var values = new List<double>(parts.Length);
            foreach (var part in parts)
            {
                if (!double.TryParse(part, NumberStyles.Float, CultureInfo.InvariantCulture, out double v) || !double.IsFinite(v))
                    throw new CascadeFormatException(File, path, $"'{Shorten(part)}' is not a finite number");
                values.Add(v);
            }
            return values;
        }

        public int ToInt(double v, string path) =>
            v == Math.Floor(v) && v >= int.MinValue && v <= int.MaxValue
                ? (int)v
                : throw new CascadeFormatException(File, path, $"{v} is not an integer");

        public float ToFloat(double v, string path)
        {
            float f = (float)v;
            return float.IsFinite(f) ? f : throw new CascadeFormatException(File, path, $"{v} does not fit in a float");
        }

        private static string Shorten(string s) => s.Length <= 40 ? s : s[..40] + "…";
    }
}
