namespace Trilobite.Onnx.Tests;

/// <summary>How close two runtimes' outputs are.</summary>
public static class Agreement
{
    /// <summary>max |a − b| over max |b|: the error relative to the output's scale (an output of all zeros compares absolutely).</summary>
    public static double RelativeError(float[] actual, float[] expected)
    {
        Assert.Equal(expected.Length, actual.Length);
        double worst = 0, scale = 0;
        for (int i = 0; i < expected.Length; i++)
        {
            worst = Math.Max(worst, Math.Abs((double)actual[i] - expected[i]));
            scale = Math.Max(scale, Math.Abs((double)expected[i]));
        }
        return worst / Math.Max(scale, 1e-30);
    }

    /// <summary>Asserts <see cref="RelativeError"/> ≤ <paramref name="tolerance"/>, naming what was compared.</summary>
    public static void Within(float[] actual, float[] expected, double tolerance, string what)
    {
        double error = RelativeError(actual, expected);
        Assert.True(error <= tolerance, $"{what}: relative error {error:E2} > {tolerance:E0}");
    }
}
