using System.Numerics.Tensors;
using Trilobite.Kernels;

namespace Trilobite.Autograd.Ops;

/// <summary>Inverted dropout: y = x·mask with mask ∈ {0, 1/(1 − rate)} drawn from a seeded generator; dx += dy·mask.</summary>
public sealed class DropoutOp : Op
{
    private readonly Tensor _mask;

    private DropoutOp(Tensor x, Tensor mask) : base([x]) => _mask = mask;

    public static Tensor Apply(Tensor x, float rate, Random random)
    {
        if (rate < 0 || rate >= 1) throw new ArgumentOutOfRangeException(nameof(rate), $"Dropout rate must be in [0, 1), got {rate}.");
        var mask = Tensor.Create(x.ShapeArray, clear: false);
        DropoutKernels.FillMask(random, rate, mask.Span);
        var y = Tensor.Create(x.ShapeArray, clear: false);
        TensorPrimitives.Multiply(x.Span, mask.Span, y.Span);
        return ShouldRecord(x) ? Attach(y, new DropoutOp(x, mask)) : y;
    }

    protected internal override void Backward(Tensor dy)
    {
        Span<float> dx = GradOf(Inputs[0]);
        TensorPrimitives.MultiplyAdd(dy.Span, _mask.Span, dx, dx);
    }
}
