namespace Trilobite.Backends;

/// <summary>Host memory of the Cpu device: a float array, which <see cref="Tensor.Span"/> exposes directly.</summary>
internal sealed class CpuStorage(Device device, float[] data) : Storage(device, data.Length)
{
    public readonly float[] Data = data;
}

/// <summary>Indices kept by the Cpu backend between a forward and a backward pass (max pooling's winners).</summary>
internal sealed class CpuIndexStorage(Device device, int[] data) : Storage(device, data.Length)
{
    public readonly int[] Data = data;
}

/// <summary>Double-precision running totals of the Cpu device (metrics, loss sums).</summary>
internal sealed class CpuAccumulators(Device device, double[] data) : Storage(device, data.Length)
{
    public readonly double[] Data = data;
}
