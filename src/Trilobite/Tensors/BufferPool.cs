namespace Trilobite;

/// <summary>
/// Float buffers recycled by exact length. A training step asks for the same sizes every
/// iteration, so after the first step every activation and gradient buffer comes from here
/// and the step allocates (almost) nothing on the managed heap.
/// Used for float activations and for the int index buffers of max pooling.
/// </summary>
internal static class BufferPool<T> where T : unmanaged
{
    private static readonly Dictionary<int, Stack<T[]>> s_free = [];
    private static readonly object s_gate = new();

    /// <summary>A buffer of exactly <paramref name="length"/> elements; zeroed when <paramref name="clear"/>.</summary>
    public static T[] Rent(int length, bool clear)
    {
        T[]? buffer = null;
        lock (s_gate)
        {
            if (s_free.TryGetValue(length, out var stack) && stack.Count > 0) buffer = stack.Pop();
        }
        if (buffer == null) return GC.AllocateUninitializedArray<T>(length) is var fresh && clear ? Cleared(fresh) : fresh;
        if (clear) Array.Clear(buffer);
        return buffer;
    }

    public static void Return(T[] buffer)
    {
        lock (s_gate)
        {
            if (!s_free.TryGetValue(buffer.Length, out var stack)) s_free[buffer.Length] = stack = new Stack<T[]>();
            stack.Push(buffer);
        }
    }

    /// <summary>Drops every cached buffer (e.g. after training, to give memory back).</summary>
    public static void Trim()
    {
        lock (s_gate) s_free.Clear();
    }

    private static T[] Cleared(T[] buffer)
    {
        Array.Clear(buffer);
        return buffer;
    }
}
