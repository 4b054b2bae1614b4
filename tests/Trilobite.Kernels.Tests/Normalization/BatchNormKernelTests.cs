namespace Trilobite.Kernels.Tests.Normalization;

/// <summary>The vectorised, parallel batch norm against a plain double-precision reference.</summary>
public class BatchNormKernelTests
{
    // 19 channels: two 8-lane vectors and a scalar tail; 9,000 rows: 171,000 elements, three reduction blocks.
    private const int Channels = 19, Rows = 9000;

    [Fact]
    public void ForwardAndBackwardMatchADoublePrecisionReference()
    {
        var (x, dy, gamma, beta) = Inputs();
        var (y, mean, inv, mm, mv) = Forward(x, gamma, beta);
        var dx = Enumerable.Repeat(0.5f, x.Length).ToArray();   // gradients accumulate
        float[] dGamma = new float[Channels], dBeta = new float[Channels];
        BatchNormKernels.Backward(x, dy, Channels, gamma, mean, inv, dx, dGamma, dBeta);

        for (int c = 0; c < Channels; c++)
        {
            double mu = 0, variance = 0, sumDy = 0, sumDyXhat = 0;
            for (int r = 0; r < Rows; r++) mu += x[r * Channels + c];
            mu /= Rows;
            for (int r = 0; r < Rows; r++) variance += Math.Pow(x[r * Channels + c] - mu, 2);
            variance /= Rows;
            double s = 1 / Math.Sqrt(variance + 1e-3);
            Assert.Equal(mu, mean[c], 1e-4);
            Assert.Equal(s, inv[c], 1e-4);
            Assert.Equal(0.9 * 0.5 + 0.1 * mu, mm[c], 1e-4);
            Assert.Equal(0.9 * 2 + 0.1 * variance, mv[c], 1e-3);
            for (int r = 0; r < Rows; r++)
            {
                int i = r * Channels + c;
                double xhat = (x[i] - mu) * s;
                Assert.Equal(gamma[c] * xhat + beta[c], y[i], 1e-3);
                sumDy += dy[i];
                sumDyXhat += dy[i] * xhat;
            }
            Assert.Equal(sumDyXhat, dGamma[c], 1e-2);
            Assert.Equal(sumDy, dBeta[c], 1e-2);
            for (int r = 0; r < Rows; r += 97)
            {
                int i = r * Channels + c;
                double xhat = (x[i] - mu) * s;
                double expected = 0.5 + gamma[c] * s / Rows * (Rows * dy[i] - sumDy - xhat * sumDyXhat);
                Assert.Equal(expected, dx[i], 1e-5);
            }
        }
    }

    [Fact]
    public void InferenceBackwardMatchesADoublePrecisionReference()
    {
        var (x, dy, gamma, _) = Inputs();
        float[] mean = Enumerable.Range(0, Channels).Select(c => (c - 9) * 10f).ToArray();
        float[] inv = Enumerable.Range(0, Channels).Select(c => 1f / (1 + c / 4f)).ToArray();
        var dx = Enumerable.Repeat(0.5f, x.Length).ToArray();
        float[] dGamma = new float[Channels], dBeta = new float[Channels];
        BatchNormKernels.BackwardInference(x, dy, Channels, gamma, mean, inv, dx, dGamma, dBeta);
        for (int c = 0; c < Channels; c++)
        {
            double sumDy = 0, sumDyXhat = 0;
            for (int r = 0; r < Rows; r++)
            {
                int i = r * Channels + c;
                sumDy += dy[i];
                sumDyXhat += dy[i] * (x[i] - mean[c]) * (double)inv[c];
                Assert.Equal(0.5 + gamma[c] * (double)inv[c] * dy[i], dx[i], 1e-5);
            }
            Assert.Equal(sumDyXhat, dGamma[c], 1e-2);
            Assert.Equal(sumDy, dBeta[c], 1e-2);
        }
        var onlyDx = new float[x.Length];
        BatchNormKernels.BackwardInference(x, dy, Channels, gamma, mean, inv, onlyDx, default, default);   // frozen γ and β
        Assert.Equal(gamma[0] * inv[0] * dy[0], onlyDx[0], 1e-6);
    }

    [Fact]
    public void ResultsDoNotDependOnTheThreadCount()
    {
        var (x, dy, gamma, beta) = Inputs();
        int saved = KernelThreads.Count;
        try
        {
            KernelThreads.Count = 1;
            var one = Forward(x, gamma, beta);
            var dxOne = Backward(x, dy, gamma, one.Mean, one.Inv);
            KernelThreads.Count = 2;
            var two = Forward(x, gamma, beta);
            var dxTwo = Backward(x, dy, gamma, two.Mean, two.Inv);
            Assert.Equal(one.Y, two.Y);
            Assert.Equal(one.Inv, two.Inv);
            Assert.Equal(dxOne, dxTwo);
        }
        finally { KernelThreads.Count = saved; }
    }

    private static (float[] X, float[] Dy, float[] Gamma, float[] Beta) Inputs()
    {
        var random = new Random(5);
        // Channel c has mean c − 9 and spread 1 + c/4: large means test the E[x²] − μ² cancellation.
        var x = new float[Rows * Channels];
        for (int i = 0; i < x.Length; i++) x[i] = (i % Channels - 9) * 10 + (1 + i % Channels / 4f) * (float)(random.NextDouble() * 2 - 1);
        var dy = Enumerable.Range(0, x.Length).Select(_ => (float)(random.NextDouble() - 0.5)).ToArray();
        var gamma = Enumerable.Range(0, Channels).Select(c => 0.5f + c / 10f).ToArray();
        var beta = Enumerable.Range(0, Channels).Select(c => c / 7f - 1).ToArray();
        return (x, dy, gamma, beta);
    }

    private static (float[] Y, float[] Mean, float[] Inv, float[] MovingMean, float[] MovingVariance) Forward(float[] x, float[] gamma, float[] beta)
    {
        float[] y = new float[x.Length], mean = new float[Channels], inv = new float[Channels];
        float[] movingMean = Enumerable.Repeat(0.5f, Channels).ToArray(), movingVariance = Enumerable.Repeat(2f, Channels).ToArray();
        BatchNormKernels.ForwardTraining(x, Channels, gamma, beta, 1e-3f, 0.9f, movingMean, movingVariance, y, mean, inv);
        return (y, mean, inv, movingMean, movingVariance);
    }

    private static float[] Backward(float[] x, float[] dy, float[] gamma, float[] mean, float[] inv)
    {
        var dx = new float[x.Length];
        BatchNormKernels.Backward(x, dy, Channels, gamma, mean, inv, dx, new float[Channels], new float[Channels]);
        return dx;
    }
}
