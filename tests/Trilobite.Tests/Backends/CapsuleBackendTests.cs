using Trilobite.Backends;
using static Trilobite.Tests.Backends.BackendTesting;

namespace Trilobite.Tests.Backends;

/// <summary>
/// What the capsule network adds to the seam — the strided batched GEMM, softmax over any axis, squash, vector length and
/// argmax — Cpu against Reference, over shapes that reach the contiguous and the strided paths, zero vectors included.
/// </summary>
public class CapsuleBackendTests
{
    public static TheoryData<bool, bool, int, int, int, int> BatchedShapes => new()
    {
        { false, false, 1, 1, 1, 1 }, { false, true, 32, 16, 8, 40 }, { true, false, 16, 8, 32, 9 },
        { true, true, 5, 7, 3, 4 }, { false, false, 1, 16, 1152, 20 }, { false, true, 1152, 1, 16, 6 }, { false, false, 70, 90, 80, 3 },
    };

    [Theory]
    [MemberData(nameof(BatchedShapes))]
    public void BatchedGemmAgreesWithStridedAndRepeatedOperands(bool transA, bool transB, int m, int n, int k, int batch)
    {
        int lda = (transA ? m : k) + 1, ldb = transB ? k : n, ldc = n + 2;
        long sizeA = (long)(transA ? k : m) * lda, sizeB = (long)(transB ? n : k) * ldb, sizeC = (long)m * ldc;
        foreach (long strideB in new[] { sizeB + 3, 0 })   // separate matrices, then one B for every product
        {
            long strideA = sizeA + 5, strideC = sizeC + 1;
            var (ac, ar) = Both(Values((int)(strideA * batch), 1, -1, 1));
            var (bc, br) = Both(Values((int)(strideB * (batch - 1) + sizeB), 2, -1, 1));
            var c = Values((int)(strideC * batch), 3, -1, 1);
            var (cc, cr) = Both(c);
            Cpu.GemmBatched(transA, transB, m, n, k, 0.5f, ac, lda, strideA, bc, ldb, strideB, 1f, cc, ldc, strideC, batch);
            Reference.GemmBatched(transA, transB, m, n, k, 0.5f, ar, lda, strideA, br, ldb, strideB, 1f, cr, ldc, strideC, batch);
            Agree(cr, cc, 1e-5 * (1 + Math.Sqrt(k)), 1e-5, $"batched GEMM {m}×{n}×{k} ×{batch}, B stride {strideB}");
        }
    }

    [Fact]
    public void BatchedGemmRejectsOverlappingOutputsAndShortSpans()
    {
        var (a, _) = Both(new float[8]);
        var (c, _) = Both(new float[8]);
        var overlap = Assert.Throws<ArgumentException>(() => Cpu.GemmBatched(false, false, 2, 2, 2, 1, a, 2, 0, a, 2, 0, 0, c, 2, 2, 2));
        Assert.Contains("overlap", overlap.Message);
        var shortSpan = Assert.Throws<ArgumentException>(() => Cpu.GemmBatched(false, false, 2, 2, 2, 1, a, 2, 4, a, 2, 4, 0, c, 2, 4, 3));
        Assert.Contains("GEMM", shortSpan.Message);
    }

    [Theory]
    [InlineData(1, 5, 1)]
    [InlineData(3, 10, 1)]
    [InlineData(4, 10, 1152)]   // routing's couplings: softmax over the parents, children contiguous
    [InlineData(2, 1, 7)]
    [InlineData(2, 6, 13)]
    public void SoftmaxOverAnyAxisAgreesInBothPasses(int outer, int axis, int inner)
    {
        int length = outer * axis * inner;
        var (xc, xr) = Both(Values(length, 4, -6, 6));
        var (yc, yr) = Both(new float[length]);
        Cpu.SoftmaxAxis(xc, outer, axis, inner, yc);
        Reference.SoftmaxAxis(xr, outer, axis, inner, yr);
        Agree(yr, yc, 1e-6, 1e-5, "softmax over an axis");
        var (dyc, dyr) = Both(Values(length, 5));
        var (dxc, dxr) = Both(Values(length, 6));
        Cpu.SoftmaxAxisBackward(yc, dyc, outer, axis, inner, dxc);
        Reference.SoftmaxAxisBackward(yr, dyr, outer, axis, inner, dxr);
        Agree(dxr, dxc, 1e-5, 1e-5, "softmax over an axis, backward");
    }

    [Theory]
    [InlineData(1, 8, 1)]
    [InlineData(37, 16, 1)]
    [InlineData(3, 8, 5)]
    [InlineData(2, 1, 4)]
    public void SquashAndLengthAgreeInBothPassesWithZeroVectors(int outer, int axis, int inner)
    {
        int length = outer * axis * inner, vectors = outer * inner;
        var x = Values(length, 7, -2, 2);
        Array.Clear(x, 0, axis * inner);   // the first block's vectors are exactly zero
        var (xc, xr) = Both(x);
        var (dyc, dyr) = Both(Values(length, 8));
        var (vc, vr) = Both(new float[length]);
        Cpu.Squash(xc, outer, axis, inner, vc);
        Reference.Squash(xr, outer, axis, inner, vr);
        Agree(vr, vc, 1e-6, 1e-5, "squash");
        var (dxc, dxr) = Both(new float[length]);
        Cpu.SquashBackward(xc, dyc, outer, axis, inner, dxc);
        Reference.SquashBackward(xr, dyr, outer, axis, inner, dxr);
        Agree(dxr, dxc, 1e-5, 1e-4, "squash backward");
        Assert.All(Read(vc).Take(axis * inner).Concat(Read(dxc).Take(axis * inner)), g => Assert.Equal(0, g));   // exactly 0, not NaN

        var (nc, nr) = Both(new float[vectors]);
        Cpu.VectorNorm(xc, outer, axis, inner, nc);
        Reference.VectorNorm(xr, outer, axis, inner, nr);
        Agree(nr, nc, 1e-6, 1e-5, "length");
        var (gc, gr) = Both(Values(vectors, 9));
        var (lc, lr) = Both(new float[length]);
        Cpu.VectorNormBackward(xc, nc, gc, outer, axis, inner, lc);
        Reference.VectorNormBackward(xr, nr, gr, outer, axis, inner, lr);
        Agree(lr, lc, 1e-5, 1e-5, "length backward");
        Assert.All(Read(nc).Take(inner).Concat(Read(lc).Take(axis * inner)), g => Assert.Equal(0, g));
    }

    [Theory]
    [InlineData(5, 10, 1)]
    [InlineData(3, 4, 6)]
    public void ArgMaxAgreesAndTakesTheFirstOfTies(int outer, int axis, int inner)
    {
        var x = Values(outer * axis * inner, 10);
        for (int i = 0; i < inner; i++) x[i] = x[inner + i] = 100;   // a tie at the top of the first block
        x[(axis + 2) * inner] = float.NaN;                           // a NaN in the second block wins, as in max pooling
        var (xc, xr) = Both(x);
        var (yc, yr) = Both(new float[outer * inner]);
        Cpu.ArgMax(xc, outer, axis, inner, yc);
        Reference.ArgMax(xr, outer, axis, inner, yr);
        Assert.Equal(Read(yr), Read(yc));
        Assert.All(Read(yc).Take(inner), v => Assert.Equal(0, v));
        Assert.Equal(2, Read(yc)[inner]);
    }
}
