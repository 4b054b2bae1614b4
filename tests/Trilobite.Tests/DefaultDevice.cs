namespace Trilobite.Tests;

/// <summary>Makes a device the default for a block, so that every model and tensor a test builds lands on it.</summary>
public sealed class DefaultDevice : IDisposable
{
    private readonly Device _previous = Device.Default;

    private DefaultDevice(Device device) => Device.Default = device;

    public static DefaultDevice Use(Device device) => new(device);

    public static DefaultDevice Use(string name) => new(Device.Parse(name));

    public void Dispose() => Device.Default = _previous;

    /// <summary>Both devices, for theories that run a test on each.</summary>
    public static TheoryData<string> Both => new() { "cpu", "reference" };

    /// <summary>The gradient check for the device: float with the given tolerances on cpu, double and tight on reference.</summary>
    public static void GradientCheck(Func<Tensor[], Tensor> f, Tensor[] inputs, float epsilon = 1e-2f, double absoluteTolerance = 1e-2, int samples = 40)
    {
        if (inputs[0].Device == Device.Reference) GradCheck.CheckInDouble(f, inputs, samples: samples);
        else GradCheck.Check(f, inputs, epsilon, absoluteTolerance, samples: samples);
    }
}
