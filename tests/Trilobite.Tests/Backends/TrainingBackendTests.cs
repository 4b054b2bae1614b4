using Trilobite.Backends;
using Trilobite.Kernels;
using static Trilobite.Tests.Backends.BackendTesting;

namespace Trilobite.Tests.Backends;

/// <summary>Losses, metric totals and optimizer updates, Cpu against Reference.</summary>
public class TrainingBackendTests
{
    [Theory]
    [InlineData(1, 1)]
    [InlineData(4, 5)]
    [InlineData(32, 10)]
    [InlineData(3, 257)]
    public void LossesAndTheirGradientsAgree(int rows, int classes)
    {
        var logits = Values(rows * classes, 1, -8, 8);
        var probabilities = Values(rows * classes, 2, 0, 1);
        var labels = Enumerable.Range(0, rows).Select(r => (float)(r * 7 % classes)).ToArray();
        var (zc, zr) = Both(logits);
        var (tc, tr) = Both(probabilities);
        var (lc, lr) = Both(labels);
        Check("softmax cross-entropy", (b, z, t, l, g, loss) => b.SoftmaxCrossEntropy(z, t, classes, g, loss));
        Check("sparse softmax cross-entropy", (b, z, t, l, g, loss) => b.SparseSoftmaxCrossEntropy(z, l, classes, g, loss));
        Check("sigmoid binary cross-entropy", (b, z, t, l, g, loss) => b.SigmoidBinaryCrossEntropy(z, t, g, loss));
        Check("mean squared error", (b, z, t, l, g, loss) => b.MeanSquaredError(z, t, g, loss));

        void Check(string name, Action<IBackend, StorageView, StorageView,
            StorageView, StorageView, StorageView> loss)
        {
            var (gc, gr) = Both(new float[logits.Length]);
            var (vc, vr) = Both(new float[1]);
            loss(Cpu, zc, tc, lc, gc, vc);
            loss(Reference, zr, tr, lr, gr, vr);
            Agree(vr, vc, 1e-6, 1e-6, name);
            Agree(gr, gc, 1e-7, 1e-5, name + " gradient");
            var (noGradient, _) = Both(new float[1]);
            loss(Cpu, zc, tc, lc, default, noGradient);   // value only (inference)
            Assert.Equal(Read(vc), Read(noGradient));
        }
    }

    [Theory]
    [InlineData(0.25f, 2f, 1000)]     // RetinaNet's defaults; 1000 leaves a tail of 0 after the 8-lane body
    [InlineData(-1f, 0f, 37)]         // unweighted plain cross-entropy
    [InlineData(0.5f, 1f, 9)]
    [InlineData(0.25f, 3f, 70001)]    // long enough to be split over threads
    [InlineData(0.75f, 1.5f, 301)]    // a γ that is not whole: exp(γ·log m)
    public void TheFocalLossAndItsDerivativeAgree(float alpha, float gamma, int length)
    {
        var logits = Values(length, 3, -12, 12);
        var targets = Values(length, 4, 0, 1).Select((v, i) => i % 3 == 0 ? v : v > 0.8f ? 1f : 0f).ToArray();   // hard and soft
        logits[0] = 0; logits[^1] = 40;                                                                               // p = ½ and saturated
        var (zc, zr) = Both(logits);
        var (tc, tr) = Both(targets);
        var (lc, lr) = Both(new float[length]);
        var (gc, gr) = Both(new float[length]);
        Cpu.SigmoidFocalLoss(zc, tc, alpha, gamma, lc, gc);
        Reference.SigmoidFocalLoss(zr, tr, alpha, gamma, lr, gr);
        Agree(lr, lc, 1e-6, 2e-5, "focal loss");
        Agree(gr, gc, 1e-6, 2e-5, "focal loss derivative");
        var (valueOnly, _) = Both(new float[length]);
        Cpu.SigmoidFocalLoss(zc, tc, alpha, gamma, valueOnly, default);
        Assert.Equal(Read(lc), Read(valueOnly));
    }

    [Fact]
    public void ALabelOutsideTheClassesIsAnErrorOnBothBackends()
    {
        foreach (var device in new[] { Device.Cpu, Device.Reference })
        {
            var ex = Assert.Throws<ArgumentOutOfRangeException>(() =>
                device.Backend.SparseSoftmaxCrossEntropy(On(device, [0, 0, 0]), On(device, [3]), 3, default, On(device, [0])));
            Assert.Contains("Label 3 at row 0 is outside [0, 3)", ex.Message);
        }
    }

    [Fact]
    public void MetricTotalsAgreeAndAccumulateAcrossBatches()
    {
        var scores = Values(40 * 5, 1, specials: true);
        var oneHot = new float[40 * 5];
        var labels = new float[40];
        for (int r = 0; r < 40; r++) { labels[r] = r % 5; oneHot[r * 5 + r % 5] = 1; }
        var binaryScores = Values(40, 2, 0, 1);
        var binaryTargets = Values(40, 3, 0, 1).Select(v => v > 0.5f ? 1f : 0f).ToArray();
        var totals = new Dictionary<Device, Storage>();
        foreach (var device in new[] { Device.Cpu, Device.Reference })
        {
            var b = device.Backend;
            var acc = b.AllocateAccumulators(10);
            for (int batch = 0; batch < 2; batch++)   // two batches add up
            {
                b.AccumulateAccuracy(On(device, scores), On(device, oneHot), 40, 5, AccuracyKind.Categorical, acc, 0);
                b.AccumulateAccuracy(On(device, scores), On(device, labels), 40, 5, AccuracyKind.Sparse, acc, 2);
                b.AccumulateAccuracy(On(device, binaryScores), On(device, binaryTargets), 40, 1, AccuracyKind.Binary, acc, 4);
                b.AccumulateTopK(On(device, scores), On(device, labels), 40, 5, sparse: true, k: 2, acc, 6);
                b.AccumulateMean(On(device, [0.25f]), 40, acc, 8);
            }
            totals[device] = acc;
        }
        double[] cpu = new double[10], reference = new double[10];
        Cpu.ReadAccumulators(totals[Device.Cpu], cpu);
        Reference.ReadAccumulators(totals[Device.Reference], reference);
        Assert.Equal(reference, cpu);
        Assert.Equal([80.0, 80.0, 20.0], new[] { cpu[1], cpu[3], cpu[8] });
        Assert.Equal(cpu[0], cpu[2]);   // one-hot and label targets of the same classes count the same
        Cpu.ClearAccumulators(totals[Device.Cpu]);
        Cpu.ReadAccumulators(totals[Device.Cpu], cpu);
        Assert.All(cpu, v => Assert.Equal(0, v));
    }

    public static TheoryData<int> Lengths => new() { 0, 1, 7, 8, 9, 31, 256, 257, 3 * ElementwiseSplit.MinChunk + 1 };

    [Theory]
    [MemberData(nameof(Lengths))]
    public void OptimizerUpdatesAgree(int n)
    {
        using var threads = ElementwiseBackendTests.Threads(2);
        var w = Values(n, 1, -1, 1);
        var g = Values(n, 2, -1, 1);
        var s0 = Values(n, 3, 0, 1);
        var s1 = Values(n, 4, 0, 1);
        foreach (var p in new[] { new SgdParameters(0.1f, 0, false, 1), new SgdParameters(0.1f, 0.9f, false, 1), new SgdParameters(0.05f, 0.9f, true, 0.999f) })
            Agrees($"SGD {p}", (b, v) => b.SgdUpdate(v[0], v[1], p.Momentum == 0 ? default : v[2], p));
        foreach (var p in new[] { new AdamParameters(1e-3f, 0.9f, 0.999f, 1e-7f, 1), new AdamParameters(3e-3f, 0.8f, 0.99f, 1e-4f, 0.99f) })
            Agrees($"Adam {p}", (b, v) => b.AdamUpdate(v[0], v[1], v[2], v[3], p));
        foreach (var p in new[] { new RmsPropParameters(1e-3f, 0.9f, 0, 1e-7f, 1), new RmsPropParameters(1e-2f, 0.9f, 0.5f, 1e-7f, 0.999f) })
            Agrees($"RMSprop {p}", (b, v) => b.RmsPropUpdate(v[0], v[1], v[2], p.Momentum == 0 ? default : v[3], p));

        void Agrees(string name, Action<IBackend, StorageView[]> update)
        {
            var cpu = new[] { w, g, s0, s1 }.Select(a => On(Device.Cpu, a)).ToArray();
            var reference = new[] { w, g, s0, s1 }.Select(a => On(Device.Reference, a)).ToArray();
            for (int step = 0; step < 3; step++) { update(Cpu, cpu); update(Reference, reference); }
            for (int i = 0; i < 4; i++) Agree(reference[i], cpu[i], 1e-6, 1e-5, $"{name}, operand {i}, length {n}");
        }
    }
}
