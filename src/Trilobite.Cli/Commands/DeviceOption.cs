using System.CommandLine;

namespace Trilobite.Cli.Commands;

/// <summary><c>--device cpu|reference</c>, shared by train, evaluate and predict: where models are built or loaded and computed.</summary>
internal static class DeviceOption
{
    public static Option<string?> Create() => new("--device")
    {
        Description = "Where to compute: cpu (the fast SIMD kernels) or reference (plain double-precision loops: slow, for checking results). Default: the TRILOBITE_DEVICE environment variable, else cpu.",
    };

    /// <summary>Makes the named device (if one was given) the default for this run; an unknown name is a one-line error.</summary>
    public static Device Apply(string? name)
    {
        if (name != null) Device.Default = Device.Parse(name);
        return Device.Default;
    }
}
