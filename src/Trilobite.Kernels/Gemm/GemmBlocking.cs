namespace Trilobite.Kernels;

/// <summary>
/// Every blocking size of the GEMM in one place (BLIS names). The micro-kernel computes an
/// MR×NR tile of C from a packed MR×KC sliver of A and a packed KC×NR sliver of B; the loops
/// around it keep a KC×NR sliver of B in L1, an MC×KC block of A in L2 and a KC×NC panel
/// of B in L3. Values for AVX2+FMA (16 ymm registers, Zen 3: 32 KiB L1d, 512 KiB L2),
/// checked by measurement (<c>gemm --cpu</c> on 1024³ and 2048³, 1 thread): KC 256–512 with
/// MC 48–168 all land within the ±5 % noise of the shared test machine, so these stay at the
/// BLIS Haswell values. The C-tile prefetch in the micro-kernel mattered more (+~12 %). With AVX-512 the macro-kernel
/// runs two NR slivers at once (<see cref="GemmMicroKernelAvx512"/>): the packing layout stays the same.
/// </summary>
internal static class GemmBlocking
{
    /// <summary>Rows of the register tile: 6 rows × 2 ymm = 12 accumulators + 2 B + 1 A register.</summary>
    public const int MR = 6;

    /// <summary>Columns of the register tile: two Vector256&lt;float&gt;.</summary>
    public const int NR = 16;

    /// <summary>Depth of one rank-KC update: a KC×NR sliver of B is 16 KiB and stays in L1.</summary>
    public const int KC = 256;

    /// <summary>Rows of the packed A block (a multiple of MR): MC×KC×4 B = 168 KiB, lives in L2.</summary>
    public const int MC = 168;

    /// <summary>Columns of the packed B panel (a multiple of NR): KC×NC×4 B = 4 MiB, lives in L3.</summary>
    public const int NC = 4080;

    /// <summary>Below this many multiply-adds (m·n·k) a call runs on the calling thread only:
    /// waking the pool costs more than it saves.</summary>
    public const long ParallelMinWork = 96 * 96 * 96;

    /// <summary>Byte alignment of the packed buffers: one cache line.</summary>
    public const int Alignment = 64;
}
