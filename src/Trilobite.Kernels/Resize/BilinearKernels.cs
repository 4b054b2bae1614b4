using System.Numerics.Tensors;

namespace Trilobite.Kernels;

/// <summary>
/// Bilinear upsampling of NHWC maps by integer factors with half-pixel centres, as Keras's
/// <c>UpSampling2D(interpolation="bilinear")</c> (TensorFlow's <c>resize</c>, PyTorch's <c>align_corners=False</c>): output
/// pixel i samples the input at (i + ½)/s − ½, clamped to the edge pixels. Separable: each output pixel blends two input
/// rows and two input columns, so every output run of C channels is four scaled adds of input runs.
/// </summary>
public static class BilinearKernels
{
    /// <summary>Per output position along one axis: the two input positions and the weight of the upper one.</summary>
    public static (int Lower, int Upper, float Weight)[] Taps(int inSize, int scale)
    {
        var taps = new (int, int, float)[inSize * scale];
        for (int i = 0; i < taps.Length; i++)
        {
            double source = (i + 0.5) / scale - 0.5;
            double floor = Math.Floor(source);
            int lower = (int)Math.Max(floor, 0), upper = (int)Math.Min(floor + 1, inSize - 1);
            taps[i] = (lower, upper, source < 0 ? 0f : (float)(source - floor));
        }
        return taps;
    }

    /// <summary>y[n, i, j] = Σ of the four neighbours of ((i + ½)/sh − ½, (j + ½)/sw − ½) in x[n], weighted bilinearly.</summary>
    public static void Forward(in UpSampling2DGeometry g, ReadOnlySpan<float> x, Span<float> y)
    {
        KernelArguments.Length(nameof(Forward), "the input", x.Length, g.InputLength);
        KernelArguments.Length(nameof(Forward), "the output", y.Length, g.OutputLength);
        var rows = Taps(g.InHeight, g.ScaleHeight);
        var columns = Taps(g.InWidth, g.ScaleWidth);
        int c = g.Channels;
        y.Clear();
        for (int n = 0; n < g.Batch; n++)
            for (int i = 0; i < g.OutHeight; i++)
            {
                var (r0, r1, wr) = rows[i];
                for (int j = 0; j < g.OutWidth; j++)
                {
                    var (c0, c1, wc) = columns[j];
                    var output = y.Slice(((n * g.OutHeight + i) * g.OutWidth + j) * c, c);
                    AddScaled(x, Pixel(g, n, r0, c0), (1 - wr) * (1 - wc), output);
                    AddScaled(x, Pixel(g, n, r0, c1), (1 - wr) * wc, output);
                    AddScaled(x, Pixel(g, n, r1, c0), wr * (1 - wc), output);
                    AddScaled(x, Pixel(g, n, r1, c1), wr * wc, output);
                }
            }
    }

    /// <summary>The adjoint: dx += each output pixel's dy spread back onto its four input neighbours with the same weights.</summary>
    public static void Backward(in UpSampling2DGeometry g, ReadOnlySpan<float> dy, Span<float> dx)
    {
        KernelArguments.Length(nameof(Backward), "the output gradient", dy.Length, g.OutputLength);
        KernelArguments.Length(nameof(Backward), "the input gradient", dx.Length, g.InputLength);
        var rows = Taps(g.InHeight, g.ScaleHeight);
        var columns = Taps(g.InWidth, g.ScaleWidth);
        int c = g.Channels;
        for (int n = 0; n < g.Batch; n++)
            for (int i = 0; i < g.OutHeight; i++)
            {
                var (r0, r1, wr) = rows[i];
                for (int j = 0; j < g.OutWidth; j++)
                {
                    var (c0, c1, wc) = columns[j];
                    var gradient = dy.Slice(((n * g.OutHeight + i) * g.OutWidth + j) * c, c);
                    AddScaled(gradient, dx.Slice(Pixel(g, n, r0, c0), c), (1 - wr) * (1 - wc));
                    AddScaled(gradient, dx.Slice(Pixel(g, n, r0, c1), c), (1 - wr) * wc);
                    AddScaled(gradient, dx.Slice(Pixel(g, n, r1, c0), c), wr * (1 - wc));
                    AddScaled(gradient, dx.Slice(Pixel(g, n, r1, c1), c), wr * wc);
                }
            }
    }

    private static int Pixel(in UpSampling2DGeometry g, int n, int row, int column) => ((n * g.InHeight + row) * g.InWidth + column) * g.Channels;

    private static void AddScaled(ReadOnlySpan<float> x, int offset, float weight, Span<float> output)
    {
        if (weight != 0) TensorPrimitives.MultiplyAdd(x.Slice(offset, output.Length), weight, output, output);
    }

    private static void AddScaled(ReadOnlySpan<float> source, Span<float> target, float weight)
    {
        if (weight != 0) TensorPrimitives.MultiplyAdd(source, weight, target, target);
    }
}
