using Trilobite.Backends;

namespace Trilobite;

/// <summary>
/// Where tensors live and which backend computes on them. <see cref="Cpu"/> runs the fast SIMD kernels; <see cref="Reference"/>
/// runs plain loops in double, the oracle the Cpu backend (and a GPU backend later) is tested against. New devices (a CUDA
/// package) are made with the constructor and <see cref="Register"/>ed, after which <see cref="Parse"/> finds them by name.
/// <code>
/// var model = ZooModels.LeNet(); model.To(Device.Reference);      // or: TRILOBITE_DEVICE=reference, or --device reference
/// </code>
/// </summary>
public sealed class Device
{
    private static readonly List<Device> s_registered = [];
    private static Device? s_default;

    /// <summary>The host CPU with Trilobite's vectorised, threaded kernels; its tensors expose <see cref="Tensor.Span"/>.</summary>
    public static Device Cpu { get; } = Register(new Device("cpu", d => new CpuBackend(d)));

    /// <summary>
    /// Naive loops in double precision, written from the formulas: slow, and the test oracle. Values and sums carry ~15
    /// digits; the scalars the API passes as float (learning rates, ε, momentum, dropout's scale) stay float-valued.
    /// </summary>
    public static Device Reference { get; } = Register(new Device("reference", d => new ReferenceBackend(d)));

    /// <summary>A device named <paramref name="name"/> whose backend <paramref name="createBackend"/> makes (given the device itself).</summary>
    public Device(string name, Func<Device, IBackend> createBackend)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentNullException.ThrowIfNull(createBackend);
        Name = name;
        Backend = createBackend(this);
    }

    /// <summary>The name used by <see cref="Parse"/>, <c>--device</c> and <c>TRILOBITE_DEVICE</c>: "cpu", "reference".</summary>
    public string Name { get; }

    /// <summary>The kernels that compute on this device's storage.</summary>
    public IBackend Backend { get; }

    /// <summary>
    /// The device new models and tensors use when none is named: <c>TRILOBITE_DEVICE</c> if set (cpu or reference), else <see cref="Cpu"/>.
    /// </summary>
    public static Device Default
    {
        get => s_default ??= FromEnvironment();
        set => s_default = value ?? throw new ArgumentNullException(nameof(value));
    }

    /// <summary>The registered devices, built-in first.</summary>
    public static IReadOnlyList<Device> All
    {
        get { lock (s_registered) return [.. s_registered]; }
    }

    /// <summary>Makes <paramref name="device"/> known to <see cref="Parse"/>; returns it.</summary>
    public static Device Register(Device device)
    {
        lock (s_registered)
        {
            if (s_registered.Any(d => d.Name.Equals(device.Name, StringComparison.OrdinalIgnoreCase)))
                throw new ArgumentException($"A device named '{device.Name}' is already registered.");
            s_registered.Add(device);
        }
        return device;
    }

    /// <summary>The registered device of this name (case-insensitive); throws listing the known names.</summary>
    public static Device Parse(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        lock (s_registered)
            return s_registered.FirstOrDefault(d => d.Name.Equals(name.Trim(), StringComparison.OrdinalIgnoreCase))
                ?? throw new ArgumentException($"Unknown device '{Excerpt.Of(name)}'. Known: {string.Join(", ", s_registered.Select(d => d.Name))}.");
    }

    private static Device FromEnvironment() => FromEnvironment(Environment.GetEnvironmentVariable("TRILOBITE_DEVICE"));

    /// <summary>The device a value of <c>TRILOBITE_DEVICE</c> names (cpu when unset); a one-line error for an unknown name.</summary>
    internal static Device FromEnvironment(string? name)
    {
        if (string.IsNullOrWhiteSpace(name)) return Cpu;
        try { return Parse(name); }
        catch (ArgumentException)
        {
            throw new InvalidOperationException($"TRILOBITE_DEVICE is '{Excerpt.Of(name)}', but the devices are: {string.Join(", ", All.Select(d => d.Name))}.");
        }
    }

    /// <summary>The device's name ("cpu", "reference").</summary>
    public override string ToString() => Name;
}
