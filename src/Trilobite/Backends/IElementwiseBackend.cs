using Trilobite.Kernels;

namespace Trilobite.Backends;

/// <summary>
/// Elementwise work, as operator structs: one method per shape of computation, not one per function, so a new
/// activation is one struct and no backend changes.
/// </summary>
public interface IElementwiseBackend
{
    /// <summary>y = f(x) (x and y may be the same view).</summary>
    void Map<TOp>(TOp op, StorageView x, StorageView y) where TOp : struct, IUnaryOperator;

    /// <summary>dx += dy·f′(x), with y = f(x) from the forward pass.</summary>
    void MapBackward<TOp>(TOp op, StorageView x, StorageView y, StorageView dy, StorageView dx) where TOp : struct, IUnaryOperator;

    /// <summary>y = a ∘ b for operands of one length (y may alias a or b).</summary>
    void Binary<TOp>(TOp op, StorageView a, StorageView b, StorageView y) where TOp : struct, IBinaryOperator;

    /// <summary>y = a ∘ b with NumPy broadcasting; <paramref name="yShape"/> is the broadcast of the two shapes.</summary>
    void Broadcast<TOp>(TOp op, StorageView a, ReadOnlySpan<int> aShape, StorageView b, ReadOnlySpan<int> bShape,
        StorageView y, ReadOnlySpan<int> yShape) where TOp : struct, IBinaryOperator;

    /// <summary>dst += g summed over the axes along which <paramref name="dstShape"/> was broadcast to <paramref name="gShape"/>.</summary>
    void SumToShape(StorageView g, ReadOnlySpan<int> gShape, StorageView dst, ReadOnlySpan<int> dstShape);

    /// <summary>y = a·b + c, elementwise; b has a's length or is one value (read on the device). y may alias c.</summary>
    void MultiplyAdd(StorageView a, StorageView b, StorageView c, StorageView y);

    /// <summary>destination (rows, classes) = the one-hot rows of integer class labels (stored as floats); a label outside [0, classes) is an error.</summary>
    void OneHot(StorageView labels, int classes, StorageView destination);
}
