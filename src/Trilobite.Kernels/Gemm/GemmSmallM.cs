using System.Numerics.Tensors;

namespace Trilobite.Kernels;

/// <summary>
/// GEMM with fewer rows of A than the micro-kernel's MR (a dense layer on one sample, batch-1
/// inference). The blocked path would pack all of B for a handful of rows; here B is streamed once:
/// each row of C is a sum of scaled rows of B (axpy), or, with B transposed, a dot product per
/// element. When B is large the work is split over the pool so that each thread streams one
/// contiguous part of B: rows of B (a slice of k, partial sums added at the end) when B is stored
/// k×n, rows of the stored B (a slice of the columns) when it is transposed. Splitting k×n B by
/// columns instead made each thread read every row in strided halves, 2.6× slower than one thread.
/// </summary>
internal static unsafe class GemmSmallM
{
    /// <summary>Worth it below this many rows; the blocked path is faster from a full tile up.</summary>
    public const int MaxRows = GemmBlocking.MR - 1;

    /// <summary>Floats of B from which the work is split over the pool: 1 MiB, twice Zen 3's L2. Measured on
    /// LeNet's dense layer (B 9216×128, 4.5 MiB): 169 µs on one thread, 93 µs on two.</summary>
    private const long ParallelMinB = 1 << 18;

    public static void Run(in GemmOperands op, int m, int n)
    {
        int chunks = KernelThreads.InParallelRegion || (long)n * op.K < ParallelMinB ? 1 : KernelThreads.Count;
        if (chunks == 1) { Columns(op, m, 0, n); return; }
        if (op.TransB)
        {
            KernelThreads.For(chunks, new ColumnJob(op, m, n, chunks).Run);
            return;
        }
        // Slice k: each task writes alpha·A[:, k0:k1]·B[k0:k1, :] into its own m×n buffer.
        float[] partials = System.Buffers.ArrayPool<float>.Shared.Rent(chunks * m * n);
        fixed (float* p = partials)
        {
            KernelThreads.For(chunks, new DepthJob(op, m, n, chunks, p).Run);
            for (int i = 0; i < m; i++)
            {
                var c = new Span<float>(op.C + (long)i * op.Ldc, n);
                if (op.Beta == 0) c.Clear();
                else if (op.Beta != 1) TensorPrimitives.Multiply(c, op.Beta, c);
                for (int t = 0; t < chunks; t++) TensorPrimitives.Add(c, new ReadOnlySpan<float>(p + ((long)t * m + i) * n, n), c);
            }
        }
        System.Buffers.ArrayPool<float>.Shared.Return(partials);
    }

    private sealed class ColumnJob(GemmOperands op, int m, int n, int chunks)
    {
        private readonly GemmOperands _op = op;

        public void Run(int chunk)
        {
            // Chunk edges on multiples of 8 keep vector loads aligned to the row start.
            int j0 = n * chunk / chunks / 8 * 8, j1 = chunk == chunks - 1 ? n : n * (chunk + 1) / chunks / 8 * 8;
            Columns(_op, m, j0, j1);
        }
    }

    private sealed class DepthJob(GemmOperands op, int m, int n, int chunks, float* partials)
    {
        private readonly GemmOperands _op = op;

        public void Run(int chunk)
        {
            int k0 = (int)((long)_op.K * chunk / chunks), k1 = (int)((long)_op.K * (chunk + 1) / chunks);
            float* a = _op.TransA ? _op.A + (long)k0 * _op.Lda : _op.A + k0;
            var slice = new GemmOperands(_op.TransA, false, k1 - k0, _op.Alpha, a, _op.Lda,
                _op.B + (long)k0 * _op.Ldb, _op.Ldb, 0f, partials + (long)chunk * m * n, n);
            Columns(slice, m, 0, n);
        }
    }

    /// <summary>C[:, j0:j1] = alpha·op(A)·op(B)[:, j0:j1] + beta·C[:, j0:j1].</summary>
    private static void Columns(in GemmOperands op, int m, int j0, int j1)
    {
        int width = j1 - j0, k = op.K;
        if (width <= 0) return;
        for (int i = 0; i < m; i++)
        {
            var c = new Span<float>(op.C + (long)i * op.Ldc + j0, width);
            if (op.Beta == 0) c.Clear();
            else if (op.Beta != 1) TensorPrimitives.Multiply(c, op.Beta, c);
            if (op.TransB)
            {
                for (int j = 0; j < width; j++)
                {
                    // Row j of the stored B is column j of op(B).
                    var bRow = new ReadOnlySpan<float>(op.B + (long)(j0 + j) * op.Ldb, k);
                    c[j] += op.Alpha * DotWithRowOfA(op, i, bRow);
                }
                continue;
            }
            for (int p = 0; p < k; p++)
            {
                float a = op.Alpha * (op.TransA ? op.A[(long)p * op.Lda + i] : op.A[(long)i * op.Lda + p]);
                var bRow = new ReadOnlySpan<float>(op.B + (long)p * op.Ldb + j0, width);
                TensorPrimitives.MultiplyAdd(bRow, a, c, c);
            }
        }
    }

    private static float DotWithRowOfA(in GemmOperands op, int i, ReadOnlySpan<float> bRow)
    {
        if (!op.TransA) return TensorPrimitives.Dot(new ReadOnlySpan<float>(op.A + (long)i * op.Lda, bRow.Length), bRow);
        float sum = 0;
        for (int p = 0; p < bRow.Length; p++) sum += op.A[(long)p * op.Lda + i] * bRow[p];
        return sum;
    }
}
