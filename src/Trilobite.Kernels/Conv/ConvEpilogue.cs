using System.Numerics;
using static Trilobite.Kernels.PartialVectors;

namespace Trilobite.Kernels;

/// <summary>
/// What a convolution does to its output rows (N·OH·OW rows of OC channels) besides the products: adding the bias and
/// clipping a fused ReLU on the way out, and summing the output gradient's rows into the bias gradient on the way back.
/// The kernels run these on each block of rows while it is still in cache and on the thread that produced it; as
/// separate passes they read the whole output again on one thread (on the detector's towers, 16×16×64 at batch 16 on
/// two threads, the forward pass went from 0.66 to 0.55 ms a call).
/// </summary>
internal static unsafe class ConvEpilogue
{
    /// <summary>rows[r, :] = rows[r, :] + bias (when not null), then max(·, 0) with <paramref name="relu"/>, for <paramref name="count"/> rows of <paramref name="width"/>.</summary>
    public static void Apply(float* rows, long count, int width, float* bias, bool relu)
    {
        if (bias == null && !relu) return;
        int lanes = Vector<float>.Count;
        for (long r = 0; r < count; r++)
        {
            float* row = rows + r * width;
            for (int o = 0; o < width; o += lanes)
            {
                int valid = Math.Min(lanes, width - o);
                var v = Load(row + o, valid);
                if (bias != null) v += Load(bias + o, valid);
                if (relu) v = Vector.Max(v, Vector<float>.Zero);
                Store(row + o, v, valid);
            }
        }
    }

    /// <summary><see cref="Apply"/> over all <paramref name="count"/> rows, split over the pool (after a GEMM that wrote them all at once).</summary>
    public static void ApplyParallel(float* rows, long count, int width, float* bias, bool relu)
    {
        if (bias == null && !relu) return;
        nint address = (nint)rows, biasAddress = (nint)bias;
        KernelThreads.ForRange((int)count, Math.Max(1, ElementwiseSplit.MinChunk / width), (first, last) =>
            Apply((float*)address + (long)first * width, last - first, width, (float*)biasAddress, relu));
    }

    /// <summary>sums[o] += Σ_r rows[r, o] over <paramref name="count"/> rows of <paramref name="width"/>; <paramref name="sums"/> is padded to whole vectors.</summary>
    public static void AddColumnSums(float* rows, long count, int width, float* sums)
    {
        int lanes = Vector<float>.Count;
        for (int o = 0; o < width; o += lanes)
        {
            int valid = Math.Min(lanes, width - o);
            var sum = Vector<float>.Zero;
            for (long r = 0; r < count; r++) sum += Load(rows + r * width + o, valid);
            *(Vector<float>*)(sums + o) += sum;
        }
    }

    /// <summary>
    /// sums[o] += Σ_r rows[r, o] over all <paramref name="count"/> rows, split over the pool: each task sums its rows into
    /// its own padded row, and the rows are added in task order.
    /// </summary>
    public static void SumColumns(float* rows, long count, int width, Span<float> sums)
    {
        int tasks = KernelThreads.InParallelRegion || count * width < ElementwiseSplit.MinChunk ? 1 : KernelThreads.Count;
        using var partials = new PaddedRows(tasks, width);
        nint address = (nint)rows;
        KernelThreads.For(tasks, t =>
        {
            long first = count * t / tasks, last = count * (t + 1) / tasks;
            AddColumnSums((float*)address + first * width, last - first, width, partials[t]);
        });
        partials.AddTo(sums);
    }
}

/// <summary>
/// One zeroed row of <c>width</c> floats per task, each starting on its own 64-byte cache line (no two tasks' sums share
/// one) and padded to whole vectors, in native memory (its address is stable, so tasks write through a pointer): a
/// task's share of a per-channel sum. Callers dispose of it when the call ends.
/// </summary>
internal sealed unsafe class PaddedRows : IDisposable
{
    private readonly float* _data;
    private readonly int _stride, _width, _count;

    public PaddedRows(int count, int width)
    {
        (_count, _width, _stride) = (count, width, (PartialVectors.Padded(width) + CacheLineFloats - 1) / CacheLineFloats * CacheLineFloats);
        nuint bytes = (nuint)((long)count * _stride * sizeof(float));
        _data = (float*)System.Runtime.InteropServices.NativeMemory.AlignedAlloc(Math.Max(bytes, 64), 64);
        System.Runtime.InteropServices.NativeMemory.Clear(_data, bytes);
    }

    private const int CacheLineFloats = 16;

    /// <summary>Task <paramref name="task"/>'s row.</summary>
    public float* this[int task] => _data + (long)task * _stride;

    /// <summary>sums[o] += Σ_task row[task][o], the rows in task order.</summary>
    public void AddTo(Span<float> sums)
    {
        for (int t = 0; t < _count; t++)
            System.Numerics.Tensors.TensorPrimitives.Add(sums, new ReadOnlySpan<float>(this[t], _width), sums);
    }

    public void Dispose() => System.Runtime.InteropServices.NativeMemory.AlignedFree(_data);
}
