namespace Trilobite.Data;

/// <summary>
/// The contents of one IDX file of unsigned bytes: its dimensions and its payload, row-major.
/// </summary>
/// <remarks>
/// An image file (magic <c>0x00000803</c>) has dimensions <c>[N, rows, cols]</c>; a label
/// file (magic <c>0x00000801</c>) has <c>[N]</c>. <see cref="IdxReader"/> produces these.
/// </remarks>
/// <param name="Dimensions">The sizes from the header, outermost first, all positive.</param>
/// <param name="Data">The payload: exactly the product of <paramref name="Dimensions"/> bytes.</param>
public sealed record IdxArray(int[] Dimensions, byte[] Data)
{
    /// <summary>The number of items: the first dimension.</summary>
    public int Count => Dimensions[0];

    /// <summary>The dimensions written the way error messages show them, e.g. <c>8495×28×28</c>.</summary>
    public string ShapeText => string.Join('×', Dimensions);
}
