using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace Trilobite.Kernels;

/// <summary>Finds the first NaN or ±∞ in a span: eight floats at a time by their exponent bits (all ones), so checking every training batch costs microseconds.</summary>
public static class NonFiniteScan
{
    private const int ExponentBits = 0x7F80_0000;

    /// <summary>The index of the first value that is NaN or infinite, or −1 when all are finite.</summary>
    public static int FirstIndex(ReadOnlySpan<float> values)
    {
        var bits = MemoryMarshal.Cast<float, int>(values);
        int i = 0;
        if (Vector256.IsHardwareAccelerated)
        {
            var mask = Vector256.Create(ExponentBits);
            for (; i <= bits.Length - 8; i += 8)
                if (Vector256.EqualsAny(Vector256.Create(bits.Slice(i, 8)) & mask, mask)) break;
        }
        for (; i < bits.Length; i++)
            if ((bits[i] & ExponentBits) == ExponentBits) return i;
        return -1;
    }
}
