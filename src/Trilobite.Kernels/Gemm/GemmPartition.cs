namespace Trilobite.Kernels;

/// <summary>
/// How a parallel GEMM splits C: a rows×cols grid of sub-blocks, one task each, with row cuts
/// on MR multiples and column cuts on NR multiples so only the last block has edge tiles.
/// Splitting M makes every task pack all of B again, splitting N makes every task pack all of A,
/// so the grid is chosen to minimise the repacked volume: rows·n + cols·m (times k).
/// </summary>
internal readonly record struct GemmPartition(int Rows, int Cols)
{
    public int Tasks => Rows * Cols;

    public static GemmPartition Choose(int m, int n, int threads)
    {
        int mTiles = (m + GemmBlocking.MR - 1) / GemmBlocking.MR;
        int nTiles = (n + GemmBlocking.NR - 1) / GemmBlocking.NR;
        var best = new GemmPartition(1, 1);
        long bestCost = long.MaxValue;
        for (int rows = 1; rows <= threads; rows++)
        {
            if (threads % rows != 0) continue;
            int cols = threads / rows;
            if (rows > mTiles || cols > nTiles) continue;   // a block thinner than one tile would idle
            long cost = (long)rows * n + (long)cols * m;
            if (cost < bestCost) { bestCost = cost; best = new GemmPartition(rows, cols); }
        }
        return best;
    }

    /// <summary>The C block [i0, i1) × [j0, j1) of task <paramref name="task"/>.</summary>
    public (int I0, int I1, int J0, int J1) Block(int task, int m, int n)
    {
        int r = task / Cols, c = task % Cols;
        var (i0, i1) = Cut(m, Rows, r, GemmBlocking.MR);
        var (j0, j1) = Cut(n, Cols, c, GemmBlocking.NR);
        return (i0, i1, j0, j1);
    }

    // Part `index` of `parts` near-equal pieces of [0, length), boundaries on multiples of unit.
    private static (int Start, int End) Cut(int length, int parts, int index, int unit)
    {
        int tiles = (length + unit - 1) / unit;
        int start = (int)((long)tiles * index / parts) * unit;
        int end = (int)((long)tiles * (index + 1) / parts) * unit;
        return (Math.Min(start, length), Math.Min(end, length));
    }
}
