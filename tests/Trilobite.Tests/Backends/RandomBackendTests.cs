using Trilobite.Backends;
using Trilobite.Kernels;
using static Trilobite.Tests.Backends.BackendTesting;

namespace Trilobite.Tests.Backends;

/// <summary>The counter-based streams: Philox's published answers, the same values bit for bit on both devices and any thread count, and the right distributions.</summary>
public class RandomBackendTests
{
    [Fact]
    public void PhiloxGivesRandom123sKnownAnswers()
    {
        // kat_vectors of Random123 (Salmon et al.): philox4x32 10 rounds, counter then key.
        Assert.Equal((0x6627e8d5u, 0xe169c58du, 0xbc57ac4cu, 0x9b00dbd8u), CounterRandom.Philox(0, 0, 0, 0, 0));
        Assert.Equal((0x408f276du, 0x41c83b0eu, 0xa20bc7c6u, 0x6d5451fdu), CounterRandom.Philox(ulong.MaxValue, uint.MaxValue, uint.MaxValue, uint.MaxValue, uint.MaxValue));
        Assert.Equal((0xd16cfe09u, 0x94fdccebu, 0x5001e420u, 0x24126ea1u), CounterRandom.Philox(0x299f31d0a4093822, 0x243f6a88, 0x85a308d3, 0x13198a2e, 0x03707344));
    }

    public static TheoryData<string> Fills => new() { "uniform", "normal", "truncated", "dropout" };

    [Theory]
    [MemberData(nameof(Fills))]
    public void FillsAreIdenticalOnBothDevicesAndOnAnyThreadCount(string kind)
    {
        const int n = 100_003;
        void Fill(IBackend b, StorageView v)
        {
            switch (kind)
            {
                case "uniform": b.FillUniform(v, 42, -0.3f, 0.7f); break;
                case "normal": b.FillNormal(v, 42, 0.5f, 2f); break;
                case "truncated": b.FillTruncatedNormal(v, 42, 0, 0.1f); break;
                default: b.FillDropoutMask(v, 42, 0.4f); break;
            }
        }
        var (one, reference) = Both(new float[n]);
        using (ElementwiseBackendTests.Threads(1)) Fill(Cpu, one);
        var (two, _) = Both(new float[n]);
        using (ElementwiseBackendTests.Threads(2)) Fill(Cpu, two);
        Fill(Reference, reference);
        float[] a = Read(one).Select(v => (float)v).ToArray(), b = Read(two).Select(v => (float)v).ToArray();
        double[] r = Read(reference);
        Assert.Equal(a, b);
        for (int i = 0; i < n; i++) Assert.True(a[i] == r[i], $"{kind} value {i}: cpu {a[i]:R}, reference {r[i]:R}.");
    }

    [Fact]
    public void TheStreamsHaveTheirDistributions()
    {
        const int n = 200_000;
        var (u, _) = Both(new float[n]);
        Cpu.FillUniform(u, 7, -1, 3);
        var uniform = Read(u);
        Assert.InRange(uniform.Average(), 1 - 0.02, 1 + 0.02);
        Assert.InRange(uniform.Min(), -1, -0.999);
        Assert.InRange(uniform.Max(), 2.999, 3);

        var (z, _) = Both(new float[n]);
        Cpu.FillNormal(z, 8, 2, 3);
        var normal = Read(z);
        double mean = normal.Average(), sd = Math.Sqrt(normal.Select(v => (v - mean) * (v - mean)).Average());
        Assert.InRange(mean, 2 - 0.03, 2 + 0.03);
        Assert.InRange(sd, 3 * 0.99, 3 * 1.01);

        var (t, _) = Both(new float[n]);
        Cpu.FillTruncatedNormal(t, 9, 0, 1);
        var truncated = Read(t);
        Assert.All(truncated, v => Assert.InRange(v, -2, 2));
        double tsd = Math.Sqrt(truncated.Select(v => v * v).Average());
        Assert.InRange(tsd, 0.87962566 * 0.99, 0.87962566 * 1.01);   // the standard deviation of N(0, 1) cut at ±2

        var (m, _) = Both(new float[n]);
        Cpu.FillDropoutMask(m, 10, 0.25f);
        var mask = Read(m);
        Assert.All(mask, v => Assert.True(v == 0 || Math.Abs(v - 1 / 0.75) < 1e-6));
        Assert.InRange(mask.Count(v => v == 0) / (double)n, 0.25 - 0.005, 0.25 + 0.005);
    }

    [Fact]
    public void DifferentSeedsGiveDifferentStreams()
    {
        var (a, _) = Both(new float[64]);
        var (b, _) = Both(new float[64]);
        Cpu.FillUniform(a, 1, 0, 1);
        Cpu.FillUniform(b, 2, 0, 1);
        Assert.NotEqual(Read(a), Read(b));
    }
}
