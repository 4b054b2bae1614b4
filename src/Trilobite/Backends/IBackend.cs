namespace Trilobite.Backends;

/// <summary>
/// Everything the library computes, for one device: the seam between the autograd ops, optimizers, losses, metrics and
/// initializers above and the kernels below. Each family is its own interface (one file each); a backend implements them
/// all. Conventions: operands are <see cref="StorageView"/>s of the backend's own storage, destination last; "adds into"
/// means += (backward passes accumulate into gradients); shapes come as geometry structs (<c>Conv2DGeometry</c>) or
/// explicit sizes, computed once above the seam; arguments are validated by the caller (the op), so backends may trust them.
/// </summary>
public interface IBackend : IStorageBackend, IElementwiseBackend, IReductionBackend, ILinearBackend, IPoolingBackend,
    INormalizationBackend, ILossBackend, IMetricBackend, IOptimizerBackend, IRandomBackend
{
    /// <summary>The device this backend computes for.</summary>
    Device Device { get; }
}
