namespace Trilobite.Autograd;

/// <summary>
/// A recorded differentiable operation. Subclasses compute their forward pass in a static
/// <c>Apply</c>, keep what backward needs in typed fields, and in <see cref="Backward"/> add
/// (+=) their contribution to each input's gradient from <see cref="Output"/>'s gradient.
/// </summary>
public abstract class Op
{
    protected Op(Tensor[] inputs) => Inputs = inputs;

    /// <summary>The tensors this operation read.</summary>
    public Tensor[] Inputs { get; }

    /// <summary>The tensor this operation produced.</summary>
    public Tensor Output { get; private set; } = null!;

    /// <summary>Propagates Output.Grad into the inputs' gradients (only those that require grad).</summary>
    protected internal abstract void Backward(Tensor outputGrad);

    /// <summary>True when recording is on and some input requires grad: only then is an op node created.</summary>
    public static bool ShouldRecord(Tensor a) => GradMode.Enabled && a.RequiresGrad;

    public static bool ShouldRecord(Tensor a, Tensor? b) => GradMode.Enabled && (a.RequiresGrad || (b?.RequiresGrad ?? false));

    public static bool ShouldRecord(Tensor a, Tensor? b, Tensor? c) => GradMode.Enabled && (a.RequiresGrad || (b?.RequiresGrad ?? false) || (c?.RequiresGrad ?? false));

    public static bool ShouldRecord(IReadOnlyList<Tensor> inputs)
    {
        if (!GradMode.Enabled) return false;
        foreach (var t in inputs) if (t.RequiresGrad) return true;
        return false;
    }

    /// <summary>Makes <paramref name="output"/> the recorded result of <paramref name="op"/>; returns it.</summary>
    protected static Tensor Attach(Tensor output, Op op)
    {
        op.Output = output;
        output.Creator = op;
        output.RequiresGrad = true;
        return output;
    }

    /// <summary>The gradient buffer of <paramref name="input"/>, created as zeros on first use.</summary>
    protected static Span<float> GradOf(Tensor input) => input.EnsureGrad().Span;
}
