using System.Text.Json.Nodes;
using Trilobite.Tests;
using Trilobite.Vision.Detection;
using Trilobite.Vision.Scenes;

namespace Trilobite.Vision.Tests.Detection;

/// <summary>The RetinaNet-style detector: its shape and parameters, its starting prior, its loss and gradient, decoding, training data.</summary>
public class RetinaNetTests
{
    private static readonly string[] Digits = [.. Enumerable.Range(0, 10).Select(d => d.ToString(System.Globalization.CultureInfo.InvariantCulture))];

    [Fact]
    public void OutputsOneRowPerAnchorAndCountsItsParametersExactly()
    {
        var net = RetinaNet.Build([128, 128, 1], Digits);
        Assert.Equal([16 * 16 * 9 + 8 * 8 * 9 + 4 * 4 * 9, 14], net.OutputShape);
        // Independent count: backbone convs (no bias) + BN (4 per channel), FPN laterals and outputs, shared towers and heads.
        long Conv(int k, int cin, int cout, bool bias = true) => (long)k * k * cin * cout + (bias ? cout : 0);
        int[] stages = [16, 32, 64, 96, 128, 160];
        long backbone = Conv(3, 1, 16, false) + 4 * 16;
        for (int s = 1; s < stages.Length; s++) backbone += Conv(3, stages[s - 1], stages[s], false) + Conv(3, stages[s], stages[s], false) + 8 * stages[s];
        long fpn = Conv(1, 96, 64) + Conv(1, 128, 64) + Conv(1, 160, 64) + 3 * Conv(3, 64, 64);
        long heads = 8 * Conv(3, 64, 64) + Conv(3, 64, 9 * 10) + Conv(3, 64, 9 * 4);
        Assert.Equal(backbone + fpn + heads, net.Weights.Sum(w => (long)w.Size));
        Assert.Equal("retinanet", DetectorSpec.Of(net).Kind);
        Assert.Contains("divisible by 32", Assert.Throws<ArgumentException>(() => RetinaNet.Build([100, 128, 1], Digits)).Message);
    }

    [Fact]
    public void FeaturePyramidKeepsEachLevelsSizeAlsoForOddSizes()
    {
        // A 100×100 input through stride-2 'same' convolutions: 50, 25, 13, 7 — 13 is not half of 25.
        var input = Trilobite.Layers.Input.Of([100, 100, 1]);
        var c2 = new Trilobite.Layers.Conv2D(8, 3, strides: 2, padding: Padding.Same).Call(input);
        var c3 = new Trilobite.Layers.Conv2D(8, 3, strides: 2, padding: Padding.Same).Call(c2);
        var c4 = new Trilobite.Layers.Conv2D(16, 3, strides: 2, padding: Padding.Same).Call(c3);
        var c5 = new Trilobite.Layers.Conv2D(16, 3, strides: 2, padding: Padding.Same).Call(c4);
        var levels = FeaturePyramid.Build([c3, c4, c5], 12);
        Assert.Equal([[25, 25, 12], [13, 13, 12], [7, 7, 12]], levels.Select(l => l.Shape));
        var model = new Model(input, levels[0]);
        Assert.Equal([1, 25, 25, 12], model.Predict(Tensor.Uniform([1, 100, 100, 1], 0, 1, 3)).ShapeArray);
        Assert.Contains("larger than level 0", Assert.Throws<ArgumentException>(() => FeaturePyramid.Build([c4, c3], 12)).Message);
    }

    [Fact]
    public void StartsAtThePriorProbabilityEverywhere()
    {
        RandomSeed.Set(1);
        var net = RetinaNet.Build([128, 128, 1], Digits);
        var output = net.Predict(Tensor.Uniform([1, 128, 128, 1], 0, 1, 5)).ToArray();
        for (int a = 0; a < 3024; a += 97)
        {
            float p = 1f / (1f + MathF.Exp(-output[a * 14 + 3]));
            Assert.InRange(p, 0.005f, 0.02f);
        }
    }

    /// <summary>Targets of 6 anchors × 2 classes: foreground (class 1 with deltas), background, ignored.</summary>
    private static Tensor Targets(Device device)
    {
        float[] rows =
        [
            0, 1, 0.1f, -0.2f, 0.3f, 0.05f, 1,
            0, 0, 0, 0, 0, 0, 0,
            0, 0, 0, 0, 0, 0, -1,
            1, 0, -0.3f, 0.2f, -0.1f, 0.4f, 1,
            0, 0, 0, 0, 0, 0, 0,
            0, 0, 0, 0, 0, 0, 0,
        ];
        return Tensor.FromArray(rows, [1, 6, 7], device);
    }

    [Fact]
    public void LossIsFocalOverCountedAnchorsPlusL1OverForegroundPerForegroundAnchor()
    {
        var prediction = Tensor.Uniform([1, 6, 6], -2, 2, 9, Device.Reference);
        var target = Targets(Device.Reference);
        float[] p = prediction.ToArray(), t = target.ToArray();
        double focal = 0, box = 0;
        for (int a = 0; a < 6; a++)
        {
            float state = t[a * 7 + 6];
            for (int k = 0; k < 2 && state >= 0; k++)
            {
                double z = p[a * 6 + k], y = t[a * 7 + k], q = 1 / (1 + Math.Exp(-z)), pt = y == 1 ? q : 1 - q;
                focal += (y == 1 ? 0.25 : 0.75) * Math.Pow(1 - pt, 2) * -Math.Log(pt);
            }
            if (state == 1) for (int j = 0; j < 4; j++) box += Math.Abs(p[a * 6 + 2 + j] - t[a * 7 + 2 + j]);
        }
        var (classification, boxPart) = RetinaNetLoss.Parts(prediction, target);
        Assert.Equal(focal / 2, classification.ToArray()[0], 1e-5);
        Assert.Equal(box / 2, boxPart.ToArray()[0], 1e-5);
        Assert.Equal((focal + box) / 2, new RetinaNetLoss().Compute(prediction, target).ToArray()[0], 1e-5);
        GradCheck.CheckInDouble(x => new RetinaNetLoss().Compute(x[0], Targets(Device.Reference)), [Tensor.Uniform([1, 6, 6], -2, 2, 10, Device.Reference)]);
    }

    [Fact]
    public void DecodesTheConfidentAnchorIntoItsBoxAndClass()
    {
        var net = RetinaNet.Build([128, 128, 1], Digits);
        var spec = DetectorSpec.Of(net);
        var anchors = spec.AllAnchors();
        var output = new float[anchors.Length * 14];
        for (int a = 0; a < anchors.Length; a++) for (int k = 0; k < 10; k++) output[a * 14 + k] = -10;
        int chosen = 16 * 16 * 9 / 2 + 4;          // an anchor inside the image, on the finest level
        output[chosen * 14 + 3] = 4;                // class 3, probability 0.982
        output[chosen * 14 + 10] = 0.1f;            // shifted right by a tenth of its width
        var found = new RetinaNetHead(spec).Decode(output);
        var d = Assert.Single(found);
        Assert.Equal(3, d.Label);
        Assert.Equal(1 / (1 + MathF.Exp(-4)), d.Score, 5);
        var expected = BoxCoder.RetinaNet.Decode([0.1f, 0, 0, 0], anchors[chosen]).Clip(128, 128);
        Assert.Equal(expected, d.Box);
    }

    [Fact]
    public void AnchorTargetsMarkForegroundBackgroundAndIgnored()
    {
        var spec = DetectorSpec.Of(RetinaNet.Build([128, 128, 1], Digits));
        var anchors = spec.AllAnchors();
        var truth = new List<GroundTruth> { new(new Box(40, 40, 64, 72), 7) };
        var rows = new float[anchors.Length * 15];
        AnchorTargets.Encode(truth, anchors, 10, new Matcher(), BoxCoder.RetinaNet, rows);
        int fg = 0, ignored = 0;
        for (int a = 0; a < anchors.Length; a++)
        {
            float state = rows[a * 15 + 14];
            double iou = BoxOverlap.Iou(anchors[a], truth[0].Box);
            if (state == 1) { fg++; Assert.Equal(1, rows[a * 15 + 7]); }
            if (state == -1) { ignored++; Assert.InRange(iou, 0.4, 0.5); }
            if (state == 0) Assert.True(iou < 0.4);
            if (iou >= 0.5) Assert.Equal(1, state);
        }
        Assert.True(fg >= 1 && ignored >= 0, $"{fg} foreground, {ignored} ignored");
    }

    [Fact]
    public void CocoFoldersAreReadAndBadEntriesNamed()
    {
        string dir = Path.Combine(Path.GetTempPath(), $"trilobite-coco-{Guid.NewGuid():N}");
        try
        {
            CocoScenes.Write(dir, DigitSceneGenerator.FromSample(test: true), seed: 2, count: 6);
            var data = CocoDetectionData.Load(dir);
            Assert.Equal(6, data.Count);
            Assert.Equal([128, 128, 1], data.ImageShape);
            Assert.Equal(Digits, data.ClassNames);
            Assert.All(data.Truth, t => Assert.InRange(t.Count, 1, 5));
            Assert.All(data.Truth.SelectMany(t => t), g => Assert.True(g.Box.IsWellFormed && g.Label is >= 0 and < 10));

            string file = Path.Combine(dir, "instances.json");
            string original = File.ReadAllText(file);
            void Broken(Action<JsonObject> edit, string message)
            {
                var root = JsonNode.Parse(original)!.AsObject();
                edit(root);
                File.WriteAllText(file, root.ToJsonString());
                var e = Assert.ThrowsAny<Exception>(() => CocoDetectionData.Load(dir));
                Assert.True(e is InvalidDataException or FileNotFoundException, e.GetType().Name);
                Assert.Contains(message, e.Message);
                Assert.StartsWith(file, e.Message);
            }
            Broken(r => r["annotations"]![0]!["bbox"]![2] = -3, "annotation 1 (id 1): bbox width -3");
            Broken(r => r["annotations"]![0]!["bbox"]![1] = "NaN", "annotation 1 (id 1): 'bbox' must be [x, y, width, height], four numbers");
            Broken(r => r["annotations"]![1]!["category_id"] = 42, "annotation 2 (id 2): category_id 42 is not among the categories");
            Broken(r => r["annotations"]![1]!["image_id"] = 99, "annotation 2 (id 2): image_id 99 is not among the images");
            Broken(r => r["images"]![2]!["file_name"] = "images/missing.png", "image 3 names");
            Broken(r => r["images"] = new JsonArray(), "'images' must be a non-empty list");
        }
        finally { Directory.Delete(dir, recursive: true); }
    }
}
