namespace Trilobite.Backends;

/// <summary>
/// A block of one device's memory, made and interpreted by that device's backend (the Cpu backend's holds a float[],
/// the Reference backend's a double[], a GPU backend's a device pointer). Tensors hold storage, never arrays; the
/// host sees the values only through the backend's copies (or, for Cpu storage, <see cref="Tensor.Span"/>).
/// </summary>
public abstract class Storage(Device device, int length)
{
    /// <summary>The device whose backend made this storage and computes on it.</summary>
    public Device Device { get; } = device;

    /// <summary>Number of elements.</summary>
    public int Length { get; } = length;

    /// <summary>Type, length and device, for debugging: "CpuStorage[120] on cpu".</summary>
    public override string ToString() => $"{GetType().Name}[{Length}] on {Device}";
}

/// <summary>
/// A window [Offset, Offset + Length) of a storage: what backend kernels take as operands (a tensor's elements, a batch
/// slice, a weight). <see cref="None"/> stands for an absent optional operand (no bias, no gradient wanted).
/// </summary>
public readonly struct StorageView
{
    /// <summary>Elements [<paramref name="offset"/>, offset + <paramref name="length"/>) of <paramref name="storage"/>; throws <see cref="ArgumentNullException"/> for no storage and <see cref="ArgumentOutOfRangeException"/> when the window does not fit.</summary>
    public StorageView(Storage storage, int offset, int length)
    {
        ArgumentNullException.ThrowIfNull(storage);
        if (offset < 0 || length < 0 || (long)offset + length > storage.Length)
            throw new ArgumentOutOfRangeException(nameof(offset), $"A view of [{offset}, {(long)offset + length}) does not fit a storage of {storage.Length} elements.");
        Storage = storage;
        Offset = offset;
        Length = length;
    }

    /// <summary>The whole of <paramref name="storage"/>.</summary>
    public StorageView(Storage storage) : this(storage, 0, storage.Length) { }

    /// <summary>No operand.</summary>
    public static StorageView None => default;

    /// <summary>The storage viewed; null for <see cref="None"/>.</summary>
    public Storage Storage { get; }
    /// <summary>Index in <see cref="Storage"/> of the view's first element.</summary>
    public int Offset { get; }
    /// <summary>Number of elements in the view.</summary>
    public int Length { get; }

    /// <summary>True for <see cref="None"/> (a zero-length view of a real storage is not none).</summary>
    public bool IsNone => Storage is null;

    /// <summary>Elements [start, start + length) of this view.</summary>
    public StorageView Slice(int start, int length)
    {
        if (start < 0 || length < 0 || (long)start + length > Length)
            throw new ArgumentOutOfRangeException(nameof(start), $"[{start}, {(long)start + length}) is outside a view of {Length} elements.");
        return new StorageView(Storage, Offset + start, length);
    }

    /// <summary>"none", or the storage and the window: "CpuStorage[120] on cpu[40..80)".</summary>
    public override string ToString() => IsNone ? "none" : $"{Storage}[{Offset}..{Offset + Length})";
}
