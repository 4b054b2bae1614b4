namespace Trilobite;

/// <summary>
/// Float buffers recycled by exact length. A training step asks for the same sizes every
/// iteration, so after the first step every activation and gradient buffer comes from here
/// and the step allocates (almost) nothing on the managed heap.
/// </summary>
internal static class BufferPool
{
    private static readonly Dictionary<int, Stack<float[]>> s_free = [];
    private static readonly object s_gate = new();

    /// <summary>A buffer of exactly <paramref name="length"/> floats; zeroed when <paramref name="clear"/>.</summary>
    public static float[] Rent(int length, bool clear)
    {
        float[]? buffer = null;
        lock (s_gate)
        {
            if (s_free.TryGetValue(length, out var stack) && stack.Count > 0) buffer = stack.Pop();
        }
        if (buffer == null) return GC.AllocateUninitializedArray<float>(length) is var fresh && clear ? Cleared(fresh) : fresh;
        if (clear) Array.Clear(buffer);
        return buffer;
    }

    public static void Return(float[] buffer)
    {
        lock (s_gate)
        {
            if (!s_free.TryGetValue(buffer.Length, out var stack)) s_free[buffer.Length] = stack = new Stack<float[]>();
            stack.Push(buffer);
        }
    }

    /// <summary>Drops every cached buffer (e.g. after training, to give memory back).</summary>
    public static void Trim()
    {
        lock (s_gate) s_free.Clear();
    }

    private static float[] Cleared(float[] buffer)
    {
        Array.Clear(buffer);
        return buffer;
    }
}
