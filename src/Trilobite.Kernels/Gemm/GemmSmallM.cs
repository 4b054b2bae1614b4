using System.Numerics.Tensors;

namespace Trilobite.Kernels;

/// <summary>
/// GEMM with fewer rows of A than the micro-kernel's MR (a dense layer on one sample, batch-1
/// inference). The blocked path would pack all of B for a handful of rows; here B is streamed once:
/// each row of C is a sum of scaled rows of B (axpy), or, with B transposed, a dot product per
/// element. Columns are split over the pool when B is large.
/// </summary>
internal static unsafe class GemmSmallM
{
    /// <summary>Worth it below this many rows; the blocked path is faster from a full tile up.</summary>
    public const int MaxRows = GemmBlocking.MR - 1;

    public static void Run(in GemmOperands op, int m, int n)
    {
        int chunks = KernelThreads.InParallelRegion || (long)n * op.K < 1 << 18 ? 1 : Math.Min(KernelThreads.Count, Math.Max(1, n / 16));
        if (chunks == 1) { Columns(op, m, 0, n); return; }
        var job = new Job(op, m, n, chunks);
        KernelThreads.For(chunks, job.Run);
    }

    private sealed class Job(GemmOperands op, int m, int n, int chunks)
    {
        private readonly GemmOperands _op = op;

        public void Run(int chunk)
        {
            // Chunk edges on multiples of 8 keep vector loads aligned to the row start.
            int j0 = n * chunk / chunks / 8 * 8, j1 = chunk == chunks - 1 ? n : n * (chunk + 1) / chunks / 8 * 8;
            Columns(_op, m, j0, j1);
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
