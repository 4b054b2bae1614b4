namespace Trilobite.Kernels;

/// <summary>
/// Boundary checks for public kernels that reach memory through pointers or size stack buffers from their arguments:
/// every length is compared with what the geometry says before any pointer is taken, so a wrong call (or a hostile
/// layer config) is an exception naming the kernel and the operand, never a write past an array.
/// </summary>
internal static class KernelArguments
{
    /// <summary>Throws unless <paramref name="operand"/> of <paramref name="kernel"/> has exactly <paramref name="expected"/> values.</summary>
    public static void Length(string kernel, string operand, int actual, long expected)
    {
        if (actual != expected)
            throw new ArgumentException($"{kernel}: {operand} has {actual} values, but the geometry needs {expected}.");
    }

    /// <summary>Like <see cref="Length"/>, but an empty span (the operand left out) is accepted too.</summary>
    public static void OptionalLength(string kernel, string operand, int actual, long expected)
    {
        if (actual != 0) Length(kernel, operand, actual, expected);
    }

    /// <summary>Throws unless <paramref name="length"/> values make whole rows of <paramref name="width"/> (width ≥ 1); returns the rows.</summary>
    public static int Rows(string kernel, int length, int width)
    {
        if (width < 1 || length % width != 0)
            throw new ArgumentException($"{kernel}: {length} values do not make rows of width {width}.");
        return length / width;
    }

    /// <summary>Throws unless the convolution's operands have the geometry's sizes.</summary>
    public static void Convolution(string kernel, in Conv2DGeometry g, int input, int weights, int output)
    {
        Length(kernel, "the input", input, g.InputLength);
        Length(kernel, "the weights", weights, g.WeightLength);
        Length(kernel, "the output", output, g.OutputLength);
    }

    /// <summary>Throws unless a pooling geometry keeps the channels and its operands have its sizes.</summary>
    public static void Pooling(string kernel, in Conv2DGeometry g, int input, int output)
    {
        if (g.OutChannels != g.InChannels)
            throw new ArgumentException($"{kernel}: a pooling geometry keeps the channels, but this one maps {g.InChannels} to {g.OutChannels}.");
        Length(kernel, "the input", input, g.InputLength);
        Length(kernel, "the output", output, g.OutputLength);
    }
}
