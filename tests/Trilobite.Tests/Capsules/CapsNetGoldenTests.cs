using System.Text.Json.Nodes;
using Trilobite.Layers;
using Trilobite.Zoo;

namespace Trilobite.Tests.Capsules;

/// <summary>
/// Squash, length, routing and the whole MNIST CapsNet against PyTorch (Golden/capsnet.py, Debian python3-torch): the
/// script and these tests fill every tensor from the same integer hash, so the fixture holds no weights.
/// </summary>
public class CapsNetGoldenTests
{
    private static readonly JsonObject Cases = (JsonObject)JsonNode.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Capsules", "Golden", "capsnet.json")))!["cases"]!;

    /// <summary>capsnet.py's formula(): murmur3's fmix32 of (i + (stream + 1)·0x9E3779B9) mod 2³², scaled to [−scale, scale).</summary>
    private static float[] Formula(int length, int stream, double scale)
    {
        const ulong mask = 0xFFFFFFFF;
        var values = new float[length];
        for (int i = 0; i < length; i++)
        {
            ulong h = ((ulong)i + (ulong)(stream + 1) * 0x9E3779B9UL) & mask;
            h ^= h >> 16;
            h = h * 0x85EBCA6B & mask;
            h ^= h >> 13;
            h = h * 0xC2B2AE35 & mask;
            h ^= h >> 16;
            values[i] = (float)((h / 4294967296.0 * 2 - 1) * scale);
        }
        return values;
    }

    private static double[] Doubles(JsonNode? node) => node!.AsArray().Select(v => (double)v!).ToArray();

    private static Tensor OnReference(float[] values, params int[] shape) => Tensor.FromArray(values, shape).To(Device.Reference);

    private static void Close(double[] expected, double[] actual, double tolerance, string what)
    {
        Assert.Equal(expected.Length, actual.Length);
        for (int i = 0; i < expected.Length; i++)
            Assert.True(Math.Abs(expected[i] - actual[i]) <= tolerance * (1 + Math.Abs(expected[i])), $"{what}[{i}]: PyTorch {expected[i]:G9}, Trilobite {actual[i]:G9}.");
    }

    [Fact]
    public void SquashAndLengthMatchPyTorchIncludingTheZeroVector()
    {
        var squash = Cases["squash"]!;
        var s = OnReference(Formula(24, 30, 1.5), 3, 8);
        for (int i = 0; i < 8; i++) s.SetDouble(i, 0);
        Close(Doubles(squash["s"]), s.ToDoubleArray(), 0, "s");
        s.RequiresGrad = true;
        var v = s.Squash();
        (v * OnReference(Formula(24, 31, 1.0), 3, 8)).Sum().Backward();
        Close(Doubles(squash["v"]), v.ToDoubleArray(), 1e-12, "squash");
        Close(Doubles(squash["ds"]), s.Grad!.ToDoubleArray(), 1e-12, "squash gradient");

        s.Grad = null;
        var lengths = s.VectorNorm(-1);
        (lengths * OnReference(Formula(3, 32, 1.0), 3)).Sum().Backward();
        Close(Doubles(Cases["length"]!["length"]), lengths.ToDoubleArray(), 1e-12, "length");
        Close(Doubles(Cases["length"]!["ds"]), s.Grad!.ToDoubleArray(), 1e-12, "length gradient");
    }

    [Fact]
    public void RoutingMatchesPyTorchInValueCouplingsAndGradients()
    {
        var routing = Cases["routing"]!;
        var u = OnReference(Formula(48, 33, 1.0), 2, 6, 4);
        var w = OnReference(Formula(360, 34, 0.8), 6, 3, 5, 4);
        u.RequiresGrad = w.RequiresGrad = true;
        Tensor? couplings = null;
        var v = CapsuleLayer.Route(u.CapsulePredictions(w), 3, false, c => couplings = c);
        (v * OnReference(Formula(30, 35, 1.0), 2, 3, 5)).Sum().Backward();
        Close(Doubles(routing["v"]), v.ToDoubleArray(), 1e-12, "parents");
        Close(Doubles(routing["c"]), couplings!.ToDoubleArray(), 1e-12, "couplings");
        Close(Doubles(routing["du"]), u.Grad!.ToDoubleArray(), 1e-11, "du");
        Close(Doubles(routing["dw"]), w.Grad!.ToDoubleArray(), 1e-11, "dW");
    }

    [Fact]
    public void TheWholeMnistCapsNetMatchesPyTorchOnABatchOfEight()
    {
        var golden = Cases["capsnet"]!;
        var net = CapsNet.Mnist();
        var specs = golden["weights"]!.AsArray();
        var weights = net.Weights.ToList();
        Assert.Equal(specs.Count, weights.Count);
        for (int t = 0; t < weights.Count; t++)
        {
            Assert.Equal(specs[t]!["shape"]!.AsArray().Select(d => (int)d!), weights[t].Shape);
            weights[t].Value.Span.Clear();
            Formula(weights[t].Size, (int)specs[t]!["stream"]!, (double)specs[t]!["scale"]!).CopyTo(weights[t].Value.Span);
        }
        var x = Tensor.FromArray(Formula(8 * 784, 20, 0.5), 8, 28, 28, 1) + 0.5f;
        int[] labels = golden["labels"]!.AsArray().Select(l => (int)l!).ToArray();
        var y = Tensor.OneHot(Tensor.FromArray(labels.Select(l => (float)l).ToArray(), 8), 10);
        net.Compile(Loss.Margin, new SGD());

        var capsules = net.DigitCapsules(x);
        Close(Doubles(golden["lengths"]), capsules.VectorNorm(-1).ToDoubleArray(), 2e-5, "capsule lengths");
        Assert.Equal((double)golden["loss"]!, net.TestOnBatch(x, y)["loss"], 4);

        var kernel = ((CapsuleLayer)net.Layers.Single(l => l.Name == "digitcaps")).Transforms.Value;
        net.TrainOnBatch(x, y);   // the gradient stays on the weights after the step
        double[] dW = kernel.Grad!.ToDoubleArray();
        double norm = Math.Sqrt(dW.Sum(g => g * g)), expectedNorm = (double)golden["dW_norm"]!;
        Assert.True(Math.Abs(norm - expectedNorm) <= 1e-3 * expectedNorm, $"‖∂W‖: PyTorch {expectedNorm:G9}, Trilobite {norm:G9}.");
        int[] picked = golden["dW_indices"]!.AsArray().Select(i => (int)i!).ToArray();
        double[] expected = Doubles(golden["dW"]), largest = [expected.Max(Math.Abs)];
        for (int i = 0; i < picked.Length; i++)   // float32 sums of 8 samples × 3 routing passes: 10⁻³ of the largest entry
            Assert.True(Math.Abs(dW[picked[i]] - expected[i]) <= 1e-3 * largest[0], $"∂W[{picked[i]}]: PyTorch {expected[i]:G9}, Trilobite {dW[picked[i]]:G9}.");
    }
}
