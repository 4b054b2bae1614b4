using Trilobite.Autograd;
using Trilobite.Kernels;

namespace Trilobite;

public sealed partial class Tensor
{
    /// <summary>
    /// Reverse-mode differentiation: fills <see cref="Grad"/> of every tensor this one was computed
    /// from (that requires grad) with d(this)/d(that), accumulating into existing gradients.
    /// A non-scalar tensor needs <paramref name="seed"/>, the gradient of some scalar with respect to it.
    /// </summary>
    public void Backward(Tensor? seed = null)
    {
        if (!RequiresGrad)
            throw new InvalidOperationException($"Backward() called on a tensor of shape {ShapeText.Of(_shape)} that does not require grad: nothing it was computed from is trainable, or it was computed under GradMode.NoGrad().");
        var grad = EnsureGrad();
        if (seed == null)
        {
            if (Length != 1)
                throw new InvalidOperationException($"Backward() without a seed gradient needs a scalar, but this tensor has shape {ShapeText.Of(_shape)}. Pass seed: a tensor of the same shape.");
            Backend.Map(new ShiftOperator(1f), grad.Data, grad.Data);
        }
        else
        {
            if (!seed.Shape.SequenceEqual(Shape))
                throw new ArgumentException($"Seed gradient shape {ShapeText.Of(seed.Shape)} does not match the tensor's shape {ShapeText.Of(_shape)}.");
            Op.Backend("Backward", this, seed).Binary(new AddOperator(), grad.Data, seed.Data, grad.Data);
        }
        foreach (var op in TopologicalOrder())
            if (op.Output.Grad != null)
            {
                long start = OpProfiler.Start();
                op.Backward(op.Output.Grad);
                OpProfiler.StopBackward(op, start);
            }
    }

    /// <summary>The ops that produced this tensor, outputs before inputs (iterative DFS; deep nets do not overflow the stack).</summary>
    private List<Op> TopologicalOrder()
    {
        var order = new List<Op>();
        var visited = new HashSet<Op>(ReferenceEqualityComparer.Instance);
        var stack = new Stack<(Op Op, bool Expanded)>();
        if (Creator != null) stack.Push((Creator, false));
        while (stack.Count > 0)
        {
            var (op, expanded) = stack.Pop();
            if (expanded) { order.Add(op); continue; }
            if (!visited.Add(op)) continue;
            stack.Push((op, true));
            foreach (var input in op.Inputs)
                if (input.Creator != null && !visited.Contains(input.Creator)) stack.Push((input.Creator, false));
        }
        order.Reverse();
        return order;
    }

    /// <summary>The gradient tensor, created as zeros on this tensor's device (pooled for intermediates, plain for leaves) on first use.</summary>
    internal Tensor EnsureGrad()
    {
        if (Grad != null) return Grad;
        Grad = Creator == null ? Zeros(_shape, Device) : Create((int[])_shape.Clone(), Device, clear: true);
        return Grad;
    }
}
