namespace Trilobite.Kernels;

/// <summary>
/// Entry of the blocked GEMM after validation: handles the degenerate cases, pins the spans and
/// decides how many threads to use. A parallel call splits C into a grid of independent
/// sub-blocks (one per thread, see <see cref="GemmPartition"/>), each running the whole
/// blocked algorithm with its own packing buffers, so threads never wait on each other mid-call.
/// </summary>
internal static unsafe class GemmDriver
{
    public static void Run(bool transA, bool transB, int m, int n, int k, float alpha,
        ReadOnlySpan<float> a, int lda, ReadOnlySpan<float> b, int ldb, float beta, Span<float> c, int ldc)
    {
        // BLAS semantics: with alpha == 0 or k == 0, A and B are not read and C = beta·C
        // (beta == 0 clears C, even if it held NaN).
        if (alpha == 0 || k == 0)
        {
            ScaleC(m, n, beta, c, ldc);
            return;
        }

        int threads = KernelThreads.InParallelRegion || (long)m * n * k < GemmBlocking.ParallelMinWork
            ? 1 : KernelThreads.Count;
        fixed (float* pa = a, pb = b, pc = c)
        {
            var op = new GemmOperands(transA, transB, k, alpha, pa, lda, pb, ldb, beta, pc, ldc);
            if (m <= GemmSmallM.MaxRows)
            {
                GemmSmallM.Run(op, m, n);
                return;
            }
            var grid = threads == 1 ? new GemmPartition(1, 1) : GemmPartition.Choose(m, n, threads);
            if (grid.Tasks == 1)
                GemmBlockedLoops.Run(op, 0, m, 0, n);
            else
                KernelThreads.For(grid.Tasks, new ParallelJob(op, grid, m, n).RunTask);
        }
    }

    private static void ScaleC(int m, int n, float beta, Span<float> c, int ldc)
    {
        if (beta == 1) return;
        for (int i = 0; i < m; i++)
        {
            Span<float> row = c.Slice(i * ldc, n);
            if (beta == 0) row.Clear();
            else System.Numerics.Tensors.TensorPrimitives.Multiply(row, beta, row);
        }
    }

    // Holds the operands for the worker threads; lives only for one call.
    private sealed class ParallelJob(GemmOperands op, GemmPartition grid, int m, int n)
    {
        private readonly GemmOperands _op = op;

        public void RunTask(int task)
        {
            var (i0, i1, j0, j1) = grid.Block(task, m, n);
            GemmBlockedLoops.Run(_op, i0, i1, j0, j1);
        }
    }
}
