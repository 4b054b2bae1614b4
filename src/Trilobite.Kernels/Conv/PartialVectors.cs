using System.Numerics;
using System.Runtime.CompilerServices;

namespace Trilobite.Kernels;

/// <summary>
/// Channel rows that are not whole vectors (a detector head's 90 class scores, LeNet-5's 6 filters), as the direct
/// convolutions meet them: rows padded to whole vectors inside their own buffers, and the one partial vector at a row's
/// end read or written lane by lane so that nothing past the caller's data is touched.
/// </summary>
internal static unsafe class PartialVectors
{
    /// <summary><paramref name="channels"/> rounded up to whole vectors.</summary>
    public static int Padded(int channels) => (channels + Vector<float>.Count - 1) / Vector<float>.Count * Vector<float>.Count;

    /// <summary>The vector at <paramref name="at"/>, of which only the first <paramref name="valid"/> lanes are read (the rest 0).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector<float> Load(float* at, int valid)
    {
        if (valid >= Vector<float>.Count) return *(Vector<float>*)at;
        var value = Vector<float>.Zero;
        for (int i = 0; i < valid; i++) ((float*)&value)[i] = at[i];
        return value;
    }

    /// <summary>Writes (or adds) the first <paramref name="valid"/> lanes of <paramref name="value"/> at <paramref name="at"/>; none when it is 0 or less.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Store(float* at, Vector<float> value, int valid, bool accumulate = false)
    {
        if (valid >= Vector<float>.Count) { *(Vector<float>*)at = accumulate ? *(Vector<float>*)at + value : value; return; }
        for (int i = 0; i < valid; i++) at[i] = accumulate ? at[i] + ((float*)&value)[i] : ((float*)&value)[i];
    }
}
