using System.CommandLine;

namespace Trilobite.Cli.Commands;

/// <summary><c>--device cpu|reference</c>, shared by train, evaluate and predict: where models are built or loaded and computed.</summary>
internal static class DeviceOption
{
    public static Option<string?> Create()
    {
        var option = new Option<string?>("--device")
        {
            Description = "Where to compute: cpu (the fast SIMD kernels) or reference (plain double-precision loops: slow, for checking results). Default: the TRILOBITE_DEVICE environment variable, else cpu.",
        };
        option.Validators.Add(r =>
        {
            if (r.GetValue(option) is not { } name) return;
            try { Device.Parse(name); }
            catch (ArgumentException e) { r.AddError(ErrorText.Of(e)); }
        });
        return option;
    }

    /// <summary>
    /// Makes the named device (if one was given) the default while the command runs, so every model it builds or loads lands
    /// there; an unknown name is a one-line error. Disposing restores the previous default (commands also run in-process).
    /// </summary>
    public static Scope Use(string? name) => new(name == null ? Device.Default : Device.Parse(name));

    public sealed class Scope : IDisposable
    {
        private readonly Device _previous = Device.Default;

        public Scope(Device device)
        {
            Device = device;
            Trilobite.Device.Default = device;
        }

        public Device Device { get; }

        public void Dispose() => Trilobite.Device.Default = _previous;
    }
}
