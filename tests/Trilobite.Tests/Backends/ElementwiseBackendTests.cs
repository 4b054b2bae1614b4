using Trilobite.Backends;
using Trilobite.Kernels;
using static Trilobite.Tests.Backends.BackendTesting;

namespace Trilobite.Tests.Backends;

/// <summary>
/// Every elementwise operator struct, Cpu against Reference: every length 0–256 (vector bodies and all tails), inputs with
/// NaN and ±∞, in place, and one length large enough to be split over two threads. Float against double: the Cpu
/// result must be within 1e-6 + 1e-5·|reference|.
/// </summary>
public class ElementwiseBackendTests
{
    private const double Abs = 1e-6, Rel = 1e-5;

    [Fact] public void Relu() => UnaryAgrees(new ReluOperator());
    [Fact] public void LeakyRelu() => UnaryAgrees(new LeakyReluOperator(0.3f));
    [Fact] public void Elu() => UnaryAgrees(new EluOperator(1.5f));
    [Fact] public void Gelu() => UnaryAgrees(new GeluOperator());
    [Fact] public void Sigmoid() => UnaryAgrees(new SigmoidOperator());
    [Fact] public void Tanh() => UnaryAgrees(new TanhOperator());
    [Fact] public void Exp() => UnaryAgrees(new ExpOperator());
    [Fact] public void Log() => UnaryAgrees(new LogOperator());
    [Fact] public void Abs_() => UnaryAgrees(new AbsOperator());
    [Fact] public void Scale() => UnaryAgrees(new ScaleOperator(-2.5f));
    [Fact] public void Shift() => UnaryAgrees(new ShiftOperator(0.75f));
    [Fact] public void Clip() => UnaryAgrees(new ClipOperator(-1.5f, 2f));
    [Fact] public void Softplus() => UnaryAgrees(new SoftplusOperator());

    [Fact]
    public void OneHotAgreesAndRefusesLabelsOutsideTheClasses()
    {
        float[] labels = [0, 3, 1, 3, 2.9f];   // 2.9 truncates to 2, as Keras casts
        var (lc, lr) = Both(labels);
        var (hc, hr) = Both(new float[labels.Length * 4]);
        Cpu.OneHot(lc, 4, hc);
        Reference.OneHot(lr, 4, hr);
        Agree(Read(hr), Read(hc), 0, 0, "OneHot");
        Assert.Equal(1, Read(hc)[4 * 4 + 2]);
        foreach (var device in new[] { Device.Cpu, Device.Reference })
            Assert.Contains("Label 4 at row 1", Assert.Throws<ArgumentOutOfRangeException>(() =>
                device.Backend.OneHot(On(device, [1, 4]), 4, On(device, new float[8]))).Message);
    }

    [Fact] public void Add() => BinaryAgrees(new AddOperator());
    [Fact] public void Subtract() => BinaryAgrees(new SubtractOperator());
    [Fact] public void Multiply() => BinaryAgrees(new MultiplyOperator());
    [Fact] public void Divide() => BinaryAgrees(new DivideOperator());

    private static void UnaryAgrees<TOp>(TOp op) where TOp : struct, IUnaryOperator
    {
        for (int n = 0; n <= 256; n++) UnaryAgrees(op, n, seed: n);
        using (Threads(2)) UnaryAgrees(op, 3 * ElementwiseSplit.MinChunk + 5, seed: 1);
    }

    private static void UnaryAgrees<TOp>(TOp op, int n, int seed) where TOp : struct, IUnaryOperator
    {
        var x = Values(n, seed, specials: true);
        var (xc, xr) = Both(x);
        var (yc, yr) = Both(new float[n]);
        Cpu.Map(op, xc, yc);
        Reference.Map(op, xr, yr);
        Agree(Read(yr), Read(yc), Abs, Rel, $"{op.Name} forward, length {n}");

        var (xi, _) = Both(x);   // in place: y and x are one storage
        Cpu.Map(op, xi, xi);
        Assert.Equal(Read(yc), Read(xi));

        // Backward accumulates into a gradient that already holds values; x keeps its specials, dy is finite.
        var (dyc, dyr) = Both(Values(n, seed + 1000));
        var dx0 = Values(n, seed + 2000);
        var (dxc, dxr) = Both(dx0);
        Cpu.MapBackward(op, xc, yc, dyc, dxc);
        Reference.MapBackward(op, xr, yr, dyr, dxr);
        Agree(Read(dxr), Read(dxc), Abs, Rel, $"{op.Name} backward, length {n}");
    }

    private static void BinaryAgrees<TOp>(TOp op) where TOp : struct, IBinaryOperator
    {
        for (int n = 0; n <= 256; n++)
        {
            var (ac, ar) = Both(Values(n, n, specials: true));
            var (bc, br) = Both(Values(n, n + 500, specials: n % 2 == 0));
            var (yc, yr) = Both(new float[n]);
            Cpu.Binary(op, ac, bc, yc);
            Reference.Binary(op, ar, br, yr);
            Agree(Read(yr), Read(yc), Abs, Rel, $"{op.Name}, length {n}");
            Cpu.Binary(op, ac, bc, ac);   // in place: y aliases a
            Assert.Equal(Read(yc), Read(ac));
        }
        // Every broadcast path: scalar on either side, a bias repeating along rows (either side), a middle axis, a big split.
        int[][][] cases =
        [
            [[3, 5], [1]], [[1], [3, 5]], [[4, 3, 5], [5]], [[5], [4, 3, 5]], [[4, 3, 5], [4, 1, 5]], [[2, 1, 4], [3, 1]],
            [[1, 1], [2, 3]], [[2, 3, 4], [2, 3, 4]], [[], []], [[0, 3], [3]],
        ];
        foreach (var c in cases) BroadcastAgrees(op, c[0], c[1]);
        using (Threads(2)) BroadcastAgrees(op, [3 * ElementwiseSplit.MinChunk + 3], [3 * ElementwiseSplit.MinChunk + 3]);
    }

    private static void BroadcastAgrees<TOp>(TOp op, int[] aShape, int[] bShape) where TOp : struct, IBinaryOperator
    {
        int[] yShape = BroadcastKernels.ResultShape(aShape, bShape);
        int Count(int[] s) => s.Aggregate(1, (p, d) => p * d);
        var (ac, ar) = Both(Values(Count(aShape), 1, specials: true));
        var (bc, br) = Both(Values(Count(bShape), 2, 0.5f, 3f));
        var (yc, yr) = Both(new float[Count(yShape)]);
        Cpu.Broadcast(op, ac, aShape, bc, bShape, yc, yShape);
        Reference.Broadcast(op, ar, aShape, br, bShape, yr, yShape);
        string shapes = $"{op.Name} {ShapeText.Of(aShape)} with {ShapeText.Of(bShape)}";
        Agree(Read(yr), Read(yc), Abs, Rel, shapes);

        // The adjoint: the gradient of y summed back to each operand's shape.
        var (gc, gr) = Both(Values(Count(yShape), 3));
        foreach (var shape in new[] { aShape, bShape })
        {
            var (dc, dr) = Both(Values(Count(shape), 4));
            Cpu.SumToShape(gc, yShape, dc, shape);
            Reference.SumToShape(gr, yShape, dr, shape);
            Agree(Read(dr), Read(dc), 1e-4, 1e-5, $"SumToShape {ShapeText.Of(yShape)} → {ShapeText.Of(shape)}");
        }
    }

    [Fact]
    public void MultiplyAddWithAScalarOrAFullOperandAndInPlace()
    {
        foreach (int n in new[] { 0, 1, 7, 8, 9, 100, 257 })
            foreach (bool scalar in new[] { true, false })
            {
                var (ac, ar) = Both(Values(n, n, specials: true));
                var (bc, br) = Both(Values(scalar ? 1 : n, n + 1));
                var (cc, cr) = Both(Values(n, n + 2));
                Cpu.MultiplyAdd(ac, bc, cc, cc);
                Reference.MultiplyAdd(ar, br, cr, cr);
                Agree(Read(cr), Read(cc), Abs, Rel, $"MultiplyAdd length {n}, scalar {scalar}");
            }
    }

    [Fact]
    public void ReductionsAlongAnAxisAndTheirAdjoint()
    {
        foreach (var (outer, axis, inner) in new[] { (1, 1, 1), (3, 5, 7), (1, 257, 1), (4, 1, 9), (2, 33, 16), (0, 3, 2), (5, 0, 3) })
        {
            var (xc, xr) = Both(Values(outer * axis * inner, axis));
            var (yc, yr) = Both(new float[outer * inner]);
            Cpu.Sum(xc, outer, axis, inner, 0.5f, yc);
            Reference.Sum(xr, outer, axis, inner, 0.5f, yr);
            Agree(Read(yr), Read(yc), 1e-5, 1e-5, $"Sum ({outer}, {axis}, {inner})");
            var (dxc, dxr) = Both(Values(outer * axis * inner, 9));
            Cpu.SumBackward(yc, outer, axis, inner, 0.25f, dxc);
            Reference.SumBackward(yr, outer, axis, inner, 0.25f, dxr);
            Agree(Read(dxr), Read(dxc), 1e-5, 1e-5, $"SumBackward ({outer}, {axis}, {inner})");
        }
    }

    /// <summary>Sets the kernel thread count for a block (split paths need more than one thread).</summary>
    internal static IDisposable Threads(int count)
    {
        int before = KernelThreads.Count;
        KernelThreads.Count = count;
        return new Restore(() => KernelThreads.Count = before);
    }

    private sealed class Restore(Action undo) : IDisposable
    {
        public void Dispose() => undo();
    }
}
