using Trilobite.Backends;

namespace Trilobite.Tests.Backends;

/// <summary>
/// Runs one computation on the Cpu backend and on the Reference backend from the same float inputs and compares the
/// results: NaN where the other has NaN, equal infinities, and otherwise |cpu − reference| ≤ abs + rel·|reference|.
/// </summary>
internal static class BackendTesting
{
    public static IBackend Cpu => Device.Cpu.Backend;
    public static IBackend Reference => Device.Reference.Backend;

    /// <summary>A fresh (unpooled) storage on <paramref name="device"/> holding <paramref name="values"/>.</summary>
    public static StorageView On(Device device, ReadOnlySpan<float> values)
    {
        var view = new StorageView(device.Backend.Allocate(values.Length, clear: false, pooled: false));
        device.Backend.CopyFromHost(values, view);
        return view;
    }

    /// <summary>The same values on both devices.</summary>
    public static (StorageView Cpu, StorageView Reference) Both(ReadOnlySpan<float> values) => (On(Device.Cpu, values), On(Device.Reference, values));

    public static double[] Read(StorageView view)
    {
        var values = new double[view.Length];
        view.Storage.Device.Backend.CopyToHost(view, values);
        return values;
    }

    /// <summary>Uniform values in [low, high); with <paramref name="specials"/>, every 13th is NaN, +∞ or −∞ in turn.</summary>
    public static float[] Values(int length, int seed, float low = -4f, float high = 4f, bool specials = false)
    {
        var random = new Random(seed);
        var values = new float[length];
        for (int i = 0; i < length; i++) values[i] = low + (high - low) * random.NextSingle();
        if (specials)
            for (int i = 5, k = 0; i < length; i += 13, k++) values[i] = (k % 3) switch { 0 => float.NaN, 1 => float.PositiveInfinity, _ => float.NegativeInfinity };
        return values;
    }

    /// <summary>Asserts that the Cpu result agrees with the Reference result element by element.</summary>
    public static void Agree(StorageView reference, StorageView cpu, double abs, double rel, string what) =>
        Agree(Read(reference), Read(cpu), abs, rel, what);

    public static void Agree(double[] expected, double[] actual, double abs, double rel, string what)
    {
        Assert.True(expected.Length == actual.Length, $"{what}: {actual.Length} values, expected {expected.Length}.");
        for (int i = 0; i < expected.Length; i++)
        {
            double e = expected[i], a = actual[i];
            bool ok = double.IsNaN(e) ? double.IsNaN(a) : double.IsInfinity(e) ? a == e : Math.Abs(a - e) <= abs + rel * Math.Abs(e);
            Assert.True(ok, $"{what}, element {i} of {expected.Length}: cpu {a:R}, reference {e:R}.");
        }
    }

    /// <summary>‖cpu − reference‖ / ‖reference‖ ≤ <paramref name="rel"/>: for results where a rare tie may go either way.</summary>
    public static void AgreeInNorm(double[] expected, double[] actual, double rel, string what)
    {
        Assert.Equal(expected.Length, actual.Length);
        double diff = 0, norm = 0;
        for (int i = 0; i < expected.Length; i++) { diff += (actual[i] - expected[i]) * (actual[i] - expected[i]); norm += expected[i] * expected[i]; }
        double error = Math.Sqrt(diff) / Math.Max(Math.Sqrt(norm), 1e-30);
        Assert.True(error <= rel, $"{what}: relative error {error:G3} in norm, allowed {rel:G3}.");
    }
}
