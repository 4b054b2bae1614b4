namespace Trilobite.Kernels;

/// <summary>
/// When an elementwise pass is split over the pool (<see cref="ElementwiseDriver"/> does the splitting): only when it is
/// large enough to pay for waking a worker, and never inside a parallel region.
/// </summary>
public static class ElementwiseSplit
{
    /// <summary>Elements per task at least: 256 KiB of floats (a smaller split costs more in wake-ups than it saves).</summary>
    public const int MinChunk = 1 << 16;

    /// <summary>Whether an elementwise pass over this many values is split over the pool.</summary>
    public static bool WorthSplitting(int length) => length >= 2 * MinChunk && KernelThreads.Count > 1 && !KernelThreads.InParallelRegion;
}
