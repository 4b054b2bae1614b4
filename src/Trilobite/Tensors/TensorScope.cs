using Trilobite.Backends;

namespace Trilobite;

/// <summary>
/// Owns the pooled storage of the tensors created inside it (activations, intermediate gradients, what backward passes
/// keep) and gives it back to each device's pool on <see cref="Dispose"/>. The training loop opens one per step; tensors a
/// caller wants to keep must be copied out (<see cref="Tensor.Clone"/>) or created outside a scope. Scopes nest; each
/// tensor belongs to the innermost one.
/// </summary>
public sealed class TensorScope : IDisposable
{
    [ThreadStatic] private static TensorScope? t_current;

    private readonly TensorScope? _parent;
    private readonly List<Storage> _owned = [];
    private bool _disposed;

    /// <summary>Opens a scope on this thread, inside the current one; tensors created until it is disposed borrow pooled storage.</summary>
    public TensorScope()
    {
        _parent = t_current;
        t_current = this;
    }

    internal static TensorScope? Current => t_current;

    /// <summary>Takes <paramref name="storage"/> (pooled by its device's backend) to release when the scope ends.</summary>
    internal void Own(Storage storage) => _owned.Add(storage);

    /// <summary>Hands storage a backend made for a backward pass to the current scope, or leaves it to the garbage collector.</summary>
    internal static void Adopt(Storage? storage)
    {
        if (storage != null) t_current?.Own(storage);
    }

    /// <summary>Gives the scope's storage back to the pools and makes the enclosing scope current again; a second call does nothing. Throws <see cref="InvalidOperationException"/> when an inner scope is still open.</summary>
    public void Dispose()
    {
        if (_disposed) return;
        _disposed = true;
        if (t_current != this)
            throw new InvalidOperationException("TensorScopes must be disposed in the reverse order of their creation.");
        t_current = _parent;
        foreach (var storage in _owned) storage.Device.Backend.Release(storage);
        _owned.Clear();
    }
}
