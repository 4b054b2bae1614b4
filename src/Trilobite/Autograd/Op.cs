using Trilobite.Backends;

namespace Trilobite.Autograd;

/// <summary>
/// A recorded differentiable operation. Subclasses compute their forward pass in a static <c>Apply</c> with calls into
/// the operands' backend, keep what backward needs in typed fields, and in <see cref="Backward"/> add (+=) their
/// contribution to each input's gradient from <see cref="Output"/>'s gradient — again with backend calls: an op holds
/// no maths of its own.
/// </summary>
public abstract class Op
{
    /// <summary>An op over <paramref name="inputs"/> (kept, not copied); its output is set when the op is attached.</summary>
    protected Op(Tensor[] inputs) => Inputs = inputs;

    /// <summary>The tensors this operation read.</summary>
    public Tensor[] Inputs { get; }

    /// <summary>The tensor this operation produced.</summary>
    public Tensor Output { get; private set; } = null!;

    /// <summary>The op's name in profiles ("Conv2D", "ReLU").</summary>
    public virtual string Name => GetType().Name.EndsWith("Op", StringComparison.Ordinal) ? GetType().Name[..^2] : GetType().Name;

    /// <summary>Propagates Output.Grad into the inputs' gradients (only those that require grad).</summary>
    protected internal abstract void Backward(Tensor outputGrad);

    /// <summary>True when recording is on and some input requires grad: only then is an op node created.</summary>
    public static bool ShouldRecord(Tensor a) => GradMode.Enabled && a.RequiresGrad;

    /// <summary>As above, for two operands; a null one (no bias) does not require grad.</summary>
    public static bool ShouldRecord(Tensor a, Tensor? b) => GradMode.Enabled && (a.RequiresGrad || (b?.RequiresGrad ?? false));

    /// <summary>As above, for up to three operands.</summary>
    public static bool ShouldRecord(Tensor a, Tensor? b, Tensor? c) => GradMode.Enabled && (a.RequiresGrad || (b?.RequiresGrad ?? false) || (c?.RequiresGrad ?? false));

    /// <summary>As above, for any number of operands.</summary>
    public static bool ShouldRecord(IReadOnlyList<Tensor> inputs)
    {
        if (!GradMode.Enabled) return false;
        foreach (var t in inputs) if (t.RequiresGrad) return true;
        return false;
    }

    /// <summary>The backend of <paramref name="a"/>'s device; throws naming the op and both devices if <paramref name="b"/> or <paramref name="c"/> lives elsewhere.</summary>
    public static IBackend Backend(string op, Tensor a, Tensor? b = null, Tensor? c = null)
    {
        var device = a.Device;
        if (b != null && b.Device != device) throw MixedDevices(op, a, b);
        if (c != null && c.Device != device) throw MixedDevices(op, a, c);
        return device.Backend;
    }

    /// <summary>The common backend of all <paramref name="inputs"/>.</summary>
    public static IBackend Backend(string op, IReadOnlyList<Tensor> inputs)
    {
        foreach (var t in inputs)
            if (t.Device != inputs[0].Device) throw MixedDevices(op, inputs[0], t);
        return inputs[0].Device.Backend;
    }

    private static InvalidOperationException MixedDevices(string op, Tensor a, Tensor b) =>
        new($"{op}: operands are on different devices: a {ShapeText.Of(a.Shape)} tensor on {a.Device} and a {ShapeText.Of(b.Shape)} tensor on {b.Device}. Move one with .To(Device.{Capitalized(b.Device.Name)}) or put the model on one device with model.To(...).");

    private static string Capitalized(string name) => name.Length == 0 ? name : char.ToUpperInvariant(name[0]) + name[1..];

    /// <summary>Makes <paramref name="output"/> the recorded result of <paramref name="op"/>; returns it.</summary>
    protected static Tensor Attach(Tensor output, Op op)
    {
        op.Output = output;
        output.Creator = op;
        output.RequiresGrad = true;
        return output;
    }

    /// <summary>The gradient of <paramref name="input"/> as a backend operand, created as zeros on first use.</summary>
    protected static StorageView GradOf(Tensor input) => input.EnsureGrad().Data;

    /// <summary>The gradient of <paramref name="input"/> if it requires one, else none (so kernels skip it).</summary>
    protected static StorageView GradOrNone(Tensor? input) => input is { RequiresGrad: true } ? input.EnsureGrad().Data : StorageView.None;
}
