using System.Text;
using Trilobite.Vision.Imaging;
using Trilobite.Vision.ViolaJones;

namespace Trilobite.Vision.Tests.ViolaJones;

public sealed class CascadeXmlReaderTests
{
    // A hand-written 4x4 cascade: two stages, one stump each, one tree of two nodes; features of 2 and 3 rects.
    internal const string Tiny = """
        <?xml version="1.0"?>
        <opencv_storage>
        <cascade type_id="opencv-cascade-classifier"><stageType>BOOST</stageType>
          <featureType>HAAR</featureType>
          <height>4</height>
          <width>4</width>
          <stageParams><maxWeakCount>2</maxWeakCount></stageParams>
          <featureParams><maxCatCount>0</maxCatCount></featureParams>
          <stageNum>2</stageNum>
          <stages>
            <_>
              <maxWeakCount>1</maxWeakCount>
              <stageThreshold>-1.5e-01</stageThreshold>
              <weakClassifiers>
                <_>
                  <internalNodes>0 -1 0 2.5e-02</internalNodes>
                  <leafValues>-1. 1.</leafValues></_></weakClassifiers></_>
            <_>
              <maxWeakCount>1</maxWeakCount>
              <stageThreshold>0.2</stageThreshold>
              <weakClassifiers>
                <_>
                  <internalNodes>1 -1 1 0. 0 -2 0 -0.25</internalNodes>
                  <leafValues>0.75 -0.5 0.25</leafValues></_></weakClassifiers></_></stages>
          <features>
            <_>
              <rects>
                <_>0 0 4 2 -1.</_>
                <_>0 1 4 1 2.</_></rects></_>
            <_>
              <rects>
                <_>0 0 3 3 -1.</_>
                <_>1 0 1 3 3.</_>
                <_>0 3 1 1 0.5</_></rects>
              <tilted>0</tilted></_></features></cascade>
        </opencv_storage>
        """;

    internal static HaarCascade Parse(string xml, string name = "tiny.xml") =>
        HaarCascade.Load(new MemoryStream(Encoding.UTF8.GetBytes(xml)), name);

    [Fact]
    public void ReadsTheHandWrittenCascade()
    {
        var c = Parse(Tiny);
        Assert.Equal((4, 4), (c.WindowWidth, c.WindowHeight));
        Assert.Equal(2, c.Stages.Count);
        Assert.Equal(-0.15f, c.Stages[0].Threshold);
        var stump = c.Stages[0].Classifiers[0];
        Assert.True(stump.IsStump);
        Assert.Equal(new TreeNode(0, -1, 0, 0.025f), stump.Nodes[0]);
        Assert.Equal([-1f, 1f], stump.Leaves);
        var tree = c.Stages[1].Classifiers[0];
        Assert.Equal([new TreeNode(1, -1, 1, 0f), new TreeNode(0, -2, 0, -0.25f)], tree.Nodes);
        Assert.Equal([0.75f, -0.5f, 0.25f], tree.Leaves);
        Assert.Equal([new HaarRect(0, 0, 4, 2, -1), new HaarRect(0, 1, 4, 1, 2)], c.Features[0].Rects);
        Assert.Equal(new HaarRect(0, 3, 1, 1, 0.5f), c.Features[1].Rects[2]);
        // The tree: feature 1 < 0 → node 1 (feature 0 < -0.25 → leaf 0 = 0.75, else leaf 2 = 0.25); else leaf 1.
        Assert.Equal(0.75f, tree.Evaluate(f => f == 1 ? -1f : -1f));
        Assert.Equal(0.25f, tree.Evaluate(f => f == 1 ? -1f : 0f));
        Assert.Equal(-0.5f, tree.Evaluate(_ => 1f));
    }

    [Fact]
    public void WriterRoundTripsThroughTheReader()
    {
        var c = Parse(Tiny);
        var ms = new MemoryStream();
        c.Save(ms);
        var back = HaarCascade.Load(new MemoryStream(ms.ToArray()), "roundtrip.xml");
        Assert.Equal(c.Stages.Select(s => s.Threshold), back.Stages.Select(s => s.Threshold));
        Assert.Equal(c.Stages.SelectMany(s => s.Classifiers).SelectMany(w => w.Nodes), back.Stages.SelectMany(s => s.Classifiers).SelectMany(w => w.Nodes));
        Assert.Equal(c.Stages.SelectMany(s => s.Classifiers).SelectMany(w => w.Leaves), back.Stages.SelectMany(s => s.Classifiers).SelectMany(w => w.Leaves));
        Assert.Equal(c.Features.SelectMany(f => f.Rects), back.Features.SelectMany(f => f.Rects));
    }

    [Fact]
    public void TreeCascadeDetectsWithTheGeneralPath()
    {
        // A window passes the tiny cascade when both stages accept it; check the detector agrees with a hand walk.
        var c = Parse(Tiny);
        var detector = new CascadeDetector(c);
        var random = new Random(3);
        int accepted = 0;
        for (int t = 0; t < 300; t++)
        {
            var img = new GrayImage(4, 4);
            random.NextBytes(img.Pixels);
            var ii = IntegralImage.Compute(img);
            bool expected = ii.TryNormFactor(0, 0, 4, 4, out float nf) && Walk(c, ii, nf);
            Assert.Equal(expected, detector.Accepts(ii));
            accepted += expected ? 1 : 0;
        }
        Assert.InRange(accepted, 1, 299);
    }

    private static bool Walk(HaarCascade c, IntegralImage ii, float nf)
    {
        foreach (var stage in c.Stages)
        {
            double sum = 0;
            foreach (var weak in stage.Classifiers)
                sum += weak.Evaluate(f => c.Features[f].Evaluate(ii, 0, 0) * nf);
            if (sum < stage.Threshold - 1e-5f) return false;
        }
        return true;
    }

    [Theory]
    [InlineData("<stageThreshold>-1.5e-01</stageThreshold>", "<stageThreshold>abc</stageThreshold>", "stages/_[0]/stageThreshold")]
    [InlineData("<height>4</height>", "", "cascade/height")]
    [InlineData("0 -1 0 2.5e-02", "0 -1 7 2.5e-02", "stages/_[0]/weakClassifiers/_[0]/internalNodes")]
    [InlineData("<_>0 1 4 1 2.</_>", "<_>0 1 4 9 2.</_>", "features/_[0]/rects/_[1]")]
    [InlineData("<leafValues>-1. 1.</leafValues>", "<leafValues>-1.</leafValues>", "stages/_[0]/weakClassifiers/_[0]")]
    public void MalformedElementsAreNamed(string from, string to, string element)
    {
        var e = Assert.Throws<CascadeFormatException>(() => Parse(Tiny.Replace(from, to), "broken.xml"));
        Assert.Contains("broken.xml", e.Message);
        Assert.Contains(element, e.Message);
    }

    [Fact]
    public void TruncatedXmlNamesFileAndElement()
    {
        var e = Assert.Throws<CascadeFormatException>(() => Parse(Tiny[..(Tiny.Length / 2)], "cut.xml"));
        Assert.StartsWith("cut.xml: <", e.Message);
        Assert.Contains("not well-formed XML", e.Message);
    }

    [Fact]
    public void TiltedFeaturesAreUnsupported()
    {
        var e = Assert.Throws<NotSupportedException>(() => Parse(Tiny.Replace("<tilted>0</tilted>", "<tilted>1</tilted>"), "tilted.xml"));
        Assert.Contains("tilted.xml", e.Message);
        Assert.Contains("features/_[1]/tilted", e.Message);
    }

    [Fact]
    public void DtdsAreRefused()
    {
        string bomb = "<?xml version=\"1.0\"?><!DOCTYPE x [<!ENTITY a \"aaaa\">]><opencv_storage>&a;</opencv_storage>";
        Assert.Throws<CascadeFormatException>(() => Parse(bomb));
    }

    [Fact]
    public void ShippedDefaultCascadeLoads()
    {
        var c = HaarCascade.FrontalFaceDefault();
        Assert.Equal((24, 24), (c.WindowWidth, c.WindowHeight));
        Assert.Equal(25, c.Stages.Count);
        Assert.Equal(2913, c.Stages.Sum(s => s.Classifiers.Count));
    }
}
