using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Trilobite.Kernels;

/// <summary>
/// Per-thread packing buffers, allocated once and grown on demand: GEMM runs thousands of times
/// per epoch and must not allocate. Pinned (POH) so the kernels can keep raw pointers, and
/// offset to a cache-line boundary so that packed slivers start aligned.
/// </summary>
internal static unsafe class GemmWorkspace
{
    [ThreadStatic] private static float[]? t_a;
    [ThreadStatic] private static float[]? t_b;

    /// <summary>Room for a packed MC×KC block of A (rows padded to MR).</summary>
    public static float* PackedA(int floats) => Aligned(ref t_a, floats);

    /// <summary>Room for a packed KC×nc panel of B (columns padded to NR).</summary>
    public static float* PackedB(int floats) => Aligned(ref t_b, floats);

    private static float* Aligned(ref float[]? buffer, int floats)
    {
        const int pad = GemmBlocking.Alignment / sizeof(float);
        if (buffer == null || buffer.Length < floats + pad)
            buffer = GC.AllocateUninitializedArray<float>(floats + pad, pinned: true);
        // The array is pinned for its lifetime, so its address is stable.
        nint p = (nint)Unsafe.AsPointer(ref MemoryMarshal.GetArrayDataReference(buffer));
        nint aligned = (p + GemmBlocking.Alignment - 1) & ~(nint)(GemmBlocking.Alignment - 1);
        return (float*)aligned;
    }
}
