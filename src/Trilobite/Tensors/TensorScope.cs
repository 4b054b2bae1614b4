namespace Trilobite;

/// <summary>
/// Owns the pooled buffers of the tensors created inside it (activations, intermediate
/// gradients) and gives them back on <see cref="Dispose"/>. The training loop opens one per
/// step; tensors a caller wants to keep must be copied out (<see cref="Tensor.Clone"/>) or
/// created outside a scope. Scopes nest; each tensor belongs to the innermost one.
/// </summary>
public sealed class TensorScope : IDisposable
{
    [ThreadStatic] private static TensorScope? t_current;

    private readonly TensorScope? _parent;
    private readonly List<float[]> _owned = [];
    private readonly List<int[]> _ownedIndices = [];
    private bool _disposed;

    public TensorScope()
    {
        _parent = t_current;
        t_current = this;
    }

    internal static TensorScope? Current => t_current;

    internal void Own(float[] buffer) => _owned.Add(buffer);

    /// <summary>An int buffer that lives as long as this scope (or, outside any scope, a plain array).</summary>
    internal static int[] RentIndices(int length)
    {
        var scope = t_current;
        if (scope == null) return new int[length];
        int[] buffer = BufferPool<int>.Rent(length, clear: false);
        scope._ownedIndices.Add(buffer);
        return buffer;
    }

    public void Dispose()
    {
        if (_disposed) return;
        _disposed = true;
        if (t_current != this)
            throw new InvalidOperationException("TensorScopes must be disposed in the reverse order of their creation.");
        t_current = _parent;
        foreach (var buffer in _owned) BufferPool<float>.Return(buffer);
        foreach (var buffer in _ownedIndices) BufferPool<int>.Return(buffer);
        _owned.Clear();
        _ownedIndices.Clear();
    }
}
