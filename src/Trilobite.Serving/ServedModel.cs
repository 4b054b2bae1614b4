using System.Text.Json.Nodes;
using Trilobite.Vision.Detection;
using Trilobite.Vision.Imaging;

namespace Trilobite.Serving;

/// <summary>
/// What kind of answer a model gives, decided from its shapes and metadata: a detector (saved with a detector spec) gives
/// boxes, a model mapping an image to a class score per pixel gives a mask, a flat output with class names or under a
/// softmax gives the top classes, anything else the raw tensor.
/// </summary>
internal abstract class ServedModel(Model model)
{
    public Model Model { get; } = model;

    /// <summary>"classifier", "detector", "segmentation" or "tensor".</summary>
    public abstract string Kind { get; }

    /// <summary>One raw result per row of <paramref name="batch"/> (N, …input shape): the batched forward pass.</summary>
    public abstract object[] Run(Tensor batch);

    /// <summary>
    /// Runs <paramref name="passes"/> forward passes on zeros, alternating batch 1 and <paramref name="maxBatch"/> (the
    /// batch sizes the server will run most, which take different kernel paths), and stops early after
    /// <paramref name="budget"/> so a large model starts in bounded time.
    /// </summary>
    public void WarmUp(int passes, int maxBatch, TimeSpan budget)
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();
        for (int i = 0; i < passes && clock.Elapsed < budget; i++)
            Run(Tensor.Zeros([i % 2 == 0 ? 1 : maxBatch, .. Model.InputShape], Device.Cpu));
    }

    /// <summary>The JSON answer for one row's result; <paramref name="picture"/> is the request's picture size, when it sent one.</summary>
    public abstract JsonObject Answer(object result, (int Width, int Height)? picture);

    public static ServedModel For(Model model, int topK)
    {
        if (model.Metadata.ContainsKey(DetectorSpec.MetadataKey)) return new Detector(model);
        int[] input = model.InputShape, output = model.OutputShape;
        if (input is [int h, int w, 1 or 3] && output is [int oh, int ow, >= 2] && oh == h && ow == w) return new Segmenter(model);
        if (output.Length == 1) return new Classifier(model, topK);
        return new Raw(model);
    }

    private sealed class Classifier(Model model, int topK) : ServedModel(model)
    {
        public override string Kind => "classifier";

        public override object[] Run(Tensor batch) => Rows(Model.Predict(batch, batch.Dim(0)));

        public override JsonObject Answer(object result, (int Width, int Height)? picture)
        {
            var scores = (float[])result;
            var names = Model.ClassNames;
            var top = Enumerable.Range(0, scores.Length).OrderByDescending(i => scores[i]).ThenBy(i => i).Take(topK)
                .Select(i => (JsonNode)new JsonObject { ["class"] = names != null && i < names.Count ? names[i] : i.ToString(System.Globalization.CultureInfo.InvariantCulture), ["index"] = i, ["probability"] = Number(scores[i]) });
            return new JsonObject { ["predictions"] = new JsonArray([.. top]) };
        }
    }

    private sealed class Detector(Model model) : ServedModel(model)
    {
        private readonly ObjectDetector _detector = new(model);

        public override string Kind => "detector";

        public override object[] Run(Tensor batch) => [.. _detector.Detect(batch)];

        public override JsonObject Answer(object result, (int Width, int Height)? picture)
        {
            var spec = _detector.Spec;
            float sx = picture is var (pw, _) ? (float)pw / spec.Input[1] : 1, sy = picture is var (_, ph) ? (float)ph / spec.Input[0] : 1;
            var boxes = ((IReadOnlyList<DetectedObject>)result).Select(d => (JsonNode)new JsonObject
            {
                ["class"] = spec.ClassNames[d.Label], ["label"] = d.Label, ["score"] = Number(d.Score),
                ["box"] = new JsonArray(Number(d.Box.X1 * sx), Number(d.Box.Y1 * sy), Number(d.Box.X2 * sx), Number(d.Box.Y2 * sy)),
            });
            return new JsonObject { ["boxes"] = new JsonArray([.. boxes]) };
        }
    }

    private sealed class Segmenter(Model model) : ServedModel(model)
    {
        public override string Kind => "segmentation";

        public override object[] Run(Tensor batch)
        {
            var probabilities = Model.Predict(batch, batch.Dim(0));
            int pixels = Model.OutputShape[0] * Model.OutputShape[1], classes = Model.OutputShape[2];
            float[] all = probabilities.ToArray();
            var masks = new object[batch.Dim(0)];
            for (int n = 0; n < masks.Length; n++)
            {
                var mask = new byte[pixels];
                for (int p = 0; p < pixels; p++)
                {
                    int offset = (n * pixels + p) * classes, best = 0;
                    for (int c = 1; c < classes; c++) if (all[offset + c] > all[offset + best]) best = c;
                    mask[p] = (byte)Math.Min(best, 255);
                }
                masks[n] = mask;
            }
            return masks;
        }

        /// <summary>The mask as a grey PNG (pixel value = class index), at the model's resolution, in base64.</summary>
        public override JsonObject Answer(object result, (int Width, int Height)? picture)
        {
            int h = Model.OutputShape[0], w = Model.OutputShape[1];
            using var png = new MemoryStream();
            new StbImageWriteSharp.ImageWriter().WritePng((byte[])result, w, h, StbImageWriteSharp.ColorComponents.Grey, png);
            var names = Model.ClassNames;
            return new JsonObject
            {
                ["width"] = w, ["height"] = h,
                ["classes"] = new JsonArray([.. Enumerable.Range(0, Model.OutputShape[2]).Select(c => (JsonNode)(names != null && c < names.Count ? names[c] : $"class {c}"))]),
                ["mask_png"] = Convert.ToBase64String(png.ToArray()),
            };
        }
    }

    private sealed class Raw(Model model) : ServedModel(model)
    {
        public override string Kind => "tensor";

        public override object[] Run(Tensor batch) => Rows(Model.Predict(batch, batch.Dim(0)));

        public override JsonObject Answer(object result, (int Width, int Height)? picture) => new()
        {
            ["shape"] = new JsonArray([.. Model.OutputShape.Select(d => (JsonNode)d)]),
            ["values"] = new JsonArray([.. ((float[])result).Select(Number)]),
        };
    }

    /// <summary>A number as JSON; NaN and ±∞ (a diverged model), which JSON numbers cannot carry, as the strings "NaN", "Infinity", "-Infinity".</summary>
    private static JsonNode Number(float v) => float.IsFinite(v) ? JsonValue.Create(v) : JsonValue.Create(float.IsNaN(v) ? "NaN" : v > 0 ? "Infinity" : "-Infinity");

    private static object[] Rows(Tensor output)
    {
        float[] all = output.ToArray();
        int n = output.Dim(0), row = n == 0 ? 0 : all.Length / n;
        return [.. Enumerable.Range(0, n).Select(i => (object)all[(i * row)..((i + 1) * row)])];
    }
}
