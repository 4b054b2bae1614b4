using Trilobite.Kernels;

namespace Trilobite.Autograd.Ops;

/// <summary>
/// Inverted dropout: y = x·mask with mask ∈ {0, 1/(1 − rate)} from the counter-based hash of (seed, index), the same on
/// every device and thread count; dx += dy·mask.
/// </summary>
public sealed class DropoutOp : Op
{
    private readonly Tensor _mask;

    private DropoutOp(Tensor x, Tensor mask) : base([x]) => _mask = mask;

    /// <summary>Zeroes each element with probability <paramref name="rate"/> and scales the rest by 1/(1 − rate), the mask from <paramref name="seed"/>; throws <see cref="ArgumentOutOfRangeException"/> unless 0 ≤ rate &lt; 1.</summary>
    public static Tensor Apply(Tensor x, float rate, ulong seed)
    {
        if (!(rate >= 0 && rate < 1)) throw new ArgumentOutOfRangeException(nameof(rate), $"Dropout rate must be in [0, 1), got {rate}.");
        var mask = Tensor.Create(x.ShapeArray, x.Device, clear: false);
        x.Backend.FillDropoutMask(mask.Data, seed, rate);
        var y = Tensor.Create(x.ShapeArray, x.Device, clear: false);
        x.Backend.Binary(new MultiplyOperator(), x.Data, mask.Data, y.Data);
        return ShouldRecord(x) ? Attach(y, new DropoutOp(x, mask)) : y;
    }

    /// <inheritdoc/>
    protected internal override void Backward(Tensor dy)
    {
        var dx = GradOf(Inputs[0]);
        dy.Backend.MultiplyAdd(dy.Data, _mask.Data, dx, dx);
    }
}
