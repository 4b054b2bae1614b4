using Trilobite.Kernels;

namespace Trilobite.Backends;

/// <summary>Memory: allocation (with a caching pool), copies to and from the host and within the device, fills.</summary>
public interface IStorageBackend
{
    /// <summary>
    /// A storage of <paramref name="length"/> floats, zeroed when <paramref name="clear"/>. A <paramref name="pooled"/> one comes
    /// from the device's caching pool (recycled by exact length) and must be given back with <see cref="Release"/>
    /// (a <c>TensorScope</c> does it); an unpooled one is owned by the garbage collector.
    /// </summary>
    Storage Allocate(int length, bool clear, bool pooled);

    /// <summary>Returns a pooled storage (of any kind this backend made: values, indices) to the pool.</summary>
    void Release(Storage storage);

    /// <summary>Drops every cached storage (to give memory back after training).</summary>
    void Trim();

    /// <summary>Copies host floats into <paramref name="destination"/>, one per element of the view.</summary>
    void CopyFromHost(ReadOnlySpan<float> source, StorageView destination);

    /// <summary>Copies the view's values to the host, rounded to float (exact for the Cpu backend).</summary>
    void CopyToHost(StorageView source, Span<float> destination);

    /// <summary>The values at the device's own precision, widened to double (exact for the Reference backend).</summary>
    void CopyToHost(StorageView source, Span<double> destination);

    /// <summary>Sets values from doubles, rounded to the device's precision (exact for the Reference backend).</summary>
    void CopyFromHost(ReadOnlySpan<double> source, StorageView destination);

    /// <summary>destination = source (same length; they may not overlap unless they are the same view).</summary>
    void Copy(StorageView source, StorageView destination);

    /// <summary>Copies (or adds, when <paramref name="accumulate"/>) the strided runs of <paramref name="block"/> from source to destination.</summary>
    void CopyBlock(in BlockCopy block, StorageView source, StorageView destination, bool accumulate);

    /// <summary>Sets every element of <paramref name="destination"/> to <paramref name="value"/>.</summary>
    void Fill(StorageView destination, float value);
}
