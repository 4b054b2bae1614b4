namespace Trilobite;

public sealed partial class Tensor
{
    /// <summary>
    /// The same elements under a new shape (one dimension may be −1 and is inferred). Shares storage;
    /// differentiable.
    /// </summary>
    public Tensor Reshape(params int[] shape) => Autograd.Ops.ReshapeOp.Apply(this, ResolveShape(shape));

    /// <summary>Rows [start, start + count) along the first axis, sharing storage (a batch of a dataset). Not recorded.</summary>
    public Tensor Slice(int start, int count)
    {
        if (Rank == 0) throw new InvalidOperationException("A scalar tensor cannot be sliced.");
        if (start < 0 || count < 0 || start + count > _shape[0])
            throw new ArgumentOutOfRangeException(nameof(start), $"Rows [{start}, {start + count}) are outside the first axis of shape {ShapeText.Of(_shape)}.");
        int rowLength = _shape[0] == 0 ? 0 : Length / _shape[0];
        int[] shape = (int[])_shape.Clone();
        shape[0] = count;
        return new Tensor(shape, Storage, Offset + start * rowLength);
    }

    /// <summary>A view with the same storage and a given shape; no gradient history.</summary>
    internal Tensor View(int[] shape) => new(shape, Storage, Offset);

    internal int[] ResolveShape(int[] shape)
    {
        int[] resolved = (int[])shape.Clone();
        int infer = Array.IndexOf(resolved, -1);
        if (infer >= 0)
        {
            long known = 1;
            for (int i = 0; i < resolved.Length; i++) if (i != infer) known *= resolved[i];
            if (known == 0 || Length % known != 0)
                throw new ArgumentException($"Cannot reshape a tensor of shape {ShapeText.Of(_shape)} to {ShapeText.Of(shape)}.");
            resolved[infer] = (int)(Length / known);
        }
        if (ElementCount(resolved) != Length)
            throw new ArgumentException($"Cannot reshape a tensor of shape {ShapeText.Of(_shape)} ({Length} elements) to {ShapeText.Of(shape)}.");
        return resolved;
    }
}
