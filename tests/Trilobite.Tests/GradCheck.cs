using Trilobite.Autograd;

namespace Trilobite.Tests;

/// <summary>
/// Finite-difference gradient checking. The scalar checked is L = Σ f(x)·R for a fixed random R,
/// so every output element contributes. Analytic gradients come from Backward; numeric ones from
/// central differences (x ± ε) with L accumulated in double. Up to <c>samples</c> elements of each
/// input are probed.
/// </summary>
public static class GradCheck
{
    public static void Check(Func<Tensor[], Tensor> f, Tensor[] inputs, float epsilon = 1e-2f,
        double absoluteTolerance = 1e-2, double relativeTolerance = 2e-2, int samples = 40, int seed = 7)
    {
        foreach (var t in inputs) { t.RequiresGrad = true; t.Grad = null; }
        var output = f(inputs);
        var projection = Tensor.Uniform(output.ShapeArray, -1f, 1f, seed);
        output.Backward(projection);

        var random = new Random(seed);
        for (int which = 0; which < inputs.Length; which++)
        {
            var input = inputs[which];
            Assert.True(input.Grad != null, $"Input {which} received no gradient.");
            int count = Math.Min(samples, input.Length);
            var indices = count == input.Length ? Enumerable.Range(0, count) : Enumerable.Range(0, count).Select(_ => random.Next(input.Length));
            foreach (int i in indices)
            {
                float original = input.Span[i];
                input.Span[i] = original + epsilon;
                double plus = Projected(f, inputs, projection);
                input.Span[i] = original - epsilon;
                double minus = Projected(f, inputs, projection);
                input.Span[i] = original;
                double numeric = (plus - minus) / (2 * epsilon);
                double analytic = input.Grad!.Span[i];
                double allowed = absoluteTolerance + relativeTolerance * Math.Abs(numeric);
                Assert.True(Math.Abs(analytic - numeric) <= allowed,
                    $"Input {which} {ShapeText.Of(input.Shape)}, element {i}: analytic {analytic:G6} vs numeric {numeric:G6} (allowed {allowed:G3}).");
            }
        }
    }

    private static double Projected(Func<Tensor[], Tensor> f, Tensor[] inputs, Tensor projection)
    {
        using var _ = GradMode.NoGrad();
        var y = f(inputs);
        double sum = 0;
        ReadOnlySpan<float> ys = y.Span, ps = projection.Span;
        for (int i = 0; i < ys.Length; i++) sum += (double)ys[i] * ps[i];
        return sum;
    }

    /// <summary>Uniform random values whose magnitude is at least <paramref name="minMagnitude"/>: away from ReLU's kink.</summary>
    public static Tensor AwayFromZero(int[] shape, int seed, float minMagnitude = 0.1f)
    {
        var t = Tensor.Uniform(shape, minMagnitude, 1f, seed);
        var random = new Random(seed + 1);
        Span<float> s = t.Span;
        for (int i = 0; i < s.Length; i++) if (random.Next(2) == 0) s[i] = -s[i];
        return t;
    }

    /// <summary>A random permutation of well-separated values: no near-ties for max pooling.</summary>
    public static Tensor Distinct(int[] shape, int seed)
    {
        var t = Tensor.Zeros(shape);
        var values = Enumerable.Range(0, t.Length).Select(i => (float)i / t.Length * 4 - 2).ToArray();
        new Random(seed).Shuffle(values);
        values.CopyTo(t.Span);
        return t;
    }
}
