namespace Trilobite.Backends;

/// <summary>
/// A device's cache of storages, recycled by exact length. A training step asks for the same sizes every iteration, so
/// after the first step every activation and gradient comes from here and a step allocates (almost) nothing.
/// </summary>
internal sealed class StoragePool<TStorage> where TStorage : Storage
{
    private readonly Dictionary<int, Stack<TStorage>> _free = [];
    private readonly object _gate = new();

    /// <summary>A cached storage of exactly <paramref name="length"/> elements, or null.</summary>
    public TStorage? TryRent(int length)
    {
        lock (_gate)
            return _free.TryGetValue(length, out var stack) && stack.Count > 0 ? stack.Pop() : null;
    }

    public void Return(TStorage storage)
    {
        lock (_gate)
        {
            if (!_free.TryGetValue(storage.Length, out var stack)) _free[storage.Length] = stack = new Stack<TStorage>();
            stack.Push(storage);
        }
    }

    public void Clear()
    {
        lock (_gate) _free.Clear();
    }
}
