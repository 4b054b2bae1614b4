using System.Numerics;
using System.Numerics.Tensors;

namespace Trilobite.Kernels;

/// <summary>
/// GEMM with fewer rows of A than the micro-kernel's MR (a dense layer on one sample, batch-1
/// inference). The blocked path would pack all of B for a handful of rows; here B is streamed once
/// per row of C: each row of C is a sum of scaled rows of B, eight vectors of columns at a time summed
/// in registers, or, with B transposed, a dot product per element. When B is large the work is split over the pool so that each thread streams one
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
            RowTimesB(op, i, j0, c);
        }
    }

    /// <summary>
    /// c += alpha·A[i, :]·B[:, j0 : j0 + c.Length] with B stored k×n: a panel of eight vectors of columns is summed in
    /// registers over all of k, then added to c. (An axpy per row of B loaded and stored c for every row: three memory
    /// operations per multiply-add instead of one; LeNet's batch-1 dense layers took 0.17–0.39 ms on two threads that
    /// way, 0.10–0.14 ms this way, on a Zen 3.)
    /// </summary>
    private static void RowTimesB(in GemmOperands op, int i, int j0, Span<float> c)
    {
        int lanes = Vector<float>.Count, width = c.Length, k = op.K, j = 0;
        long aStep = op.TransA ? op.Lda : 1;
        float* aRow = op.TransA ? op.A + i : op.A + (long)i * op.Lda;
        fixed (float* cp = c)
        {
            for (; j + 8 * lanes <= width; j += 8 * lanes)
            {
                Vector<float> s0 = default, s1 = default, s2 = default, s3 = default, s4 = default, s5 = default, s6 = default, s7 = default;
                float* b = op.B + j0 + j, a = aRow;
                for (int p = 0; p < k; p++, b += op.Ldb, a += aStep)
                {
                    var av = new Vector<float>(*a);
                    s0 = Vector.FusedMultiplyAdd(Vector.Load(b), av, s0);
                    s1 = Vector.FusedMultiplyAdd(Vector.Load(b + lanes), av, s1);
                    s2 = Vector.FusedMultiplyAdd(Vector.Load(b + 2 * lanes), av, s2);
                    s3 = Vector.FusedMultiplyAdd(Vector.Load(b + 3 * lanes), av, s3);
                    s4 = Vector.FusedMultiplyAdd(Vector.Load(b + 4 * lanes), av, s4);
                    s5 = Vector.FusedMultiplyAdd(Vector.Load(b + 5 * lanes), av, s5);
                    s6 = Vector.FusedMultiplyAdd(Vector.Load(b + 6 * lanes), av, s6);
                    s7 = Vector.FusedMultiplyAdd(Vector.Load(b + 7 * lanes), av, s7);
                }
                var alpha = new Vector<float>(op.Alpha);
                float* o = cp + j;
                Vector.Store(Vector.FusedMultiplyAdd(s0, alpha, Vector.Load(o)), o);
                Vector.Store(Vector.FusedMultiplyAdd(s1, alpha, Vector.Load(o + lanes)), o + lanes);
                Vector.Store(Vector.FusedMultiplyAdd(s2, alpha, Vector.Load(o + 2 * lanes)), o + 2 * lanes);
                Vector.Store(Vector.FusedMultiplyAdd(s3, alpha, Vector.Load(o + 3 * lanes)), o + 3 * lanes);
                Vector.Store(Vector.FusedMultiplyAdd(s4, alpha, Vector.Load(o + 4 * lanes)), o + 4 * lanes);
                Vector.Store(Vector.FusedMultiplyAdd(s5, alpha, Vector.Load(o + 5 * lanes)), o + 5 * lanes);
                Vector.Store(Vector.FusedMultiplyAdd(s6, alpha, Vector.Load(o + 6 * lanes)), o + 6 * lanes);
                Vector.Store(Vector.FusedMultiplyAdd(s7, alpha, Vector.Load(o + 7 * lanes)), o + 7 * lanes);
            }
            for (; j + lanes <= width; j += lanes)
            {
                Vector<float> s = default;
                float* b = op.B + j0 + j, a = aRow;
                for (int p = 0; p < k; p++, b += op.Ldb, a += aStep) s = Vector.FusedMultiplyAdd(Vector.Load(b), new Vector<float>(*a), s);
                Vector.Store(Vector.FusedMultiplyAdd(s, new Vector<float>(op.Alpha), Vector.Load(cp + j)), cp + j);
            }
            for (; j < width; j++)
            {
                float s = 0;
                float* b = op.B + j0 + j, a = aRow;
                for (int p = 0; p < k; p++, b += op.Ldb, a += aStep) s = MathF.FusedMultiplyAdd(*b, *a, s);
                cp[j] = MathF.FusedMultiplyAdd(s, op.Alpha, cp[j]);
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
