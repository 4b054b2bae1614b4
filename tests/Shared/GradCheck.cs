using Trilobite.Autograd;

namespace Trilobite.Tests;

/// <summary>
/// Finite-difference gradient checking. The scalar checked is L = Σ f(x)·R for a fixed random R, so every output
/// element contributes. Analytic gradients come from Backward; numeric ones from central differences (x ± ε).
/// Up to <c>samples</c> elements of each input are probed. <see cref="Check"/> runs in float on whatever device the
/// inputs are on (loose tolerances: float differences are noisy); <see cref="CheckInDouble"/> runs on the Reference
/// device in double, where ε = 10⁻⁶ and a tolerance of 10⁻⁸ + 10⁻⁶·|g| catch any convention error.
/// </summary>
public static class GradCheck
{
    public static void Check(Func<Tensor[], Tensor> f, Tensor[] inputs, float epsilon = 1e-2f,
        double absoluteTolerance = 1e-2, double relativeTolerance = 2e-2, int samples = 40, int seed = 7) =>
        Run(f, inputs, epsilon, absoluteTolerance, relativeTolerance, samples, seed);

    /// <summary>The check in double precision: every input must be on the Reference device.</summary>
    public static void CheckInDouble(Func<Tensor[], Tensor> f, Tensor[] inputs, double epsilon = 1e-6,
        double absoluteTolerance = 1e-8, double relativeTolerance = 1e-6, int samples = 40, int seed = 7)
    {
        foreach (var t in inputs)
            Assert.True(t.Device == Device.Reference, $"CheckInDouble needs inputs on the reference device; one is on {t.Device}.");
        Run(f, inputs, epsilon, absoluteTolerance, relativeTolerance, samples, seed);
    }

    private static void Run(Func<Tensor[], Tensor> f, Tensor[] inputs, double epsilon, double absoluteTolerance, double relativeTolerance, int samples, int seed)
    {
        foreach (var t in inputs) { t.RequiresGrad = true; t.Grad = null; }
        var output = f(inputs);
        var projection = Tensor.Uniform(output.ShapeArray, -1f, 1f, seed, output.Device);
        output.Backward(projection);
        double[] r = projection.ToDoubleArray();

        var random = new Random(seed);
        for (int which = 0; which < inputs.Length; which++)
        {
            var input = inputs[which];
            Assert.True(input.Grad != null, $"Input {which} received no gradient.");
            double[] analyticAll = input.Grad!.ToDoubleArray();
            int count = Math.Min(samples, input.Length);
            var indices = count == input.Length ? Enumerable.Range(0, count) : Enumerable.Range(0, count).Select(_ => random.Next(input.Length));
            foreach (int i in indices)
            {
                double original = input.GetDouble(i);
                input.SetDouble(i, original + epsilon);
                double up = input.GetDouble(i), plus = Projected(f, inputs, r);
                input.SetDouble(i, original - epsilon);
                double down = input.GetDouble(i), minus = Projected(f, inputs, r);
                input.SetDouble(i, original);
                // Divide by the step actually taken (on a float device x ± ε is rounded), so the quotient is the slope of what was computed.
                double numeric = (plus - minus) / (up - down);
                double analytic = analyticAll[i];
                double allowed = absoluteTolerance + relativeTolerance * Math.Abs(numeric);
                Assert.True(Math.Abs(analytic - numeric) <= allowed,
                    $"Input {which} {ShapeText.Of(input.Shape)} on {input.Device}, element {i}: analytic {analytic:G9} vs numeric {numeric:G9} (allowed {allowed:G3}).");
            }
        }
    }

    private static double Projected(Func<Tensor[], Tensor> f, Tensor[] inputs, double[] projection)
    {
        using var _ = GradMode.NoGrad();
        double[] y = f(inputs).ToDoubleArray();
        double sum = 0;
        for (int i = 0; i < y.Length; i++) sum += y[i] * projection[i];
        return sum;
    }

    /// <summary>Uniform random values whose magnitude is at least <paramref name="minMagnitude"/>: away from ReLU's kink.</summary>
    public static Tensor AwayFromZero(int[] shape, int seed, float minMagnitude = 0.1f)
    {
        var values = Tensor.Uniform(shape, minMagnitude, 1f, seed, Device.Cpu).ToArray();
        var random = new Random(seed + 1);
        for (int i = 0; i < values.Length; i++) if (random.Next(2) == 0) values[i] = -values[i];
        return Tensor.FromArray(values, shape);
    }

    /// <summary>A random permutation of well-separated values: no near-ties for max pooling.</summary>
    public static Tensor Distinct(int[] shape, int seed)
    {
        int n = Tensor.Zeros(shape, Device.Cpu).Length;
        var values = Enumerable.Range(0, n).Select(i => (float)i / n * 4 - 2).ToArray();
        new Random(seed).Shuffle(values);
        return Tensor.FromArray(values, shape);
    }
}
