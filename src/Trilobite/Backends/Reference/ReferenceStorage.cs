namespace Trilobite.Backends;

/// <summary>Memory of the Reference device: doubles, so that its results (and gradient checks run on it) carry ~15 digits.</summary>
internal sealed class ReferenceStorage(Device device, double[] data) : Storage(device, data.Length)
{
    public readonly double[] Data = data;
}
