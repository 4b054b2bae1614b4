using Trilobite.Backends;
using Trilobite.Kernels;
using static Trilobite.Tests.Backends.BackendTesting;

namespace Trilobite.Tests.Backends;

/// <summary>Allocation, the caching pool, host copies, block copies and fills, on both backends.</summary>
public class StorageBackendTests
{
    [Fact]
    public void PooledStorageIsReusedByExactLengthAndClearedOnRequest()
    {
        foreach (var device in new[] { Device.Cpu, Device.Reference })
        {
            var b = device.Backend;
            var first = b.Allocate(1234, clear: false, pooled: true);
            b.Fill(new(first), 5);
            b.Release(first);
            var again = b.Allocate(1234, clear: true, pooled: true);
            Assert.Same(first, again);
            Assert.All(Read(new(again)), v => Assert.Equal(0, v));
            Assert.NotSame(first, b.Allocate(1235, clear: false, pooled: true));
            b.Release(again);
        }
    }

    [Fact]
    public void HostCopiesRoundTripAndTheReferenceKeepsDoubles()
    {
        var values = Values(100, 1, specials: true);
        foreach (var device in new[] { Device.Cpu, Device.Reference })
        {
            var view = On(device, values);
            var back = new float[100];
            device.Backend.CopyToHost(view, back);
            Assert.Equal(values, back);
        }
        var exact = new StorageView(Reference.Allocate(1, false, false));
        Reference.CopyFromHost([1.0 / 3], exact);
        Assert.Equal(1.0 / 3, Read(exact)[0]);   // double precision survives on the reference device
        var rounded = new StorageView(Cpu.Allocate(1, false, false));
        Cpu.CopyFromHost([1.0 / 3], rounded);
        Assert.Equal((double)(float)(1.0 / 3), Read(rounded)[0]);
    }

    [Fact]
    public void BlockCopiesAgreeAndCheckTheirBounds()
    {
        var source = Values(2 * 3 * 4 * 5, 1);
        var copies = new[]
        {
            BlockCopy.Columns(rows: 6, length: 5, sourceColumn: 0, sourceWidth: 20, destinationColumn: 3, destinationWidth: 9),
            new BlockCopy(2, 3, 20, 0, 60, 20, 13, 90, 25),   // zero-padding-like: images, then rows of W·C
        };
        foreach (var block in copies)
            foreach (bool accumulate in new[] { false, true })
            {
                var (sc, sr) = Both(source);
                var (dc, dr) = Both(Values(200, 2));
                Cpu.CopyBlock(block, sc, dc, accumulate);
                Reference.CopyBlock(block, sr, dr, accumulate);
                Agree(dr, dc, 1e-6, 1e-6, $"{block} accumulate {accumulate}");
                var reversed = block.Reversed();
                Cpu.CopyBlock(reversed, dc, sc, accumulate: true);
                Reference.CopyBlock(reversed, dr, sr, accumulate: true);
                Agree(sr, sc, 1e-6, 1e-6, $"{reversed} (the backward copy)");
            }
        var (small, _) = Both(new float[10]);
        var ex = Assert.Throws<ArgumentException>(() => Cpu.CopyBlock(new BlockCopy(1, 2, 6, 0, 0, 5, 0, 0, 5), small, small, false));
        Assert.Contains("needs 11 elements but has 10", ex.Message);
    }

    [Fact]
    public void StorageViewsRefuseWindowsOutsideTheirStorage()
    {
        var storage = Cpu.Allocate(8, clear: true, pooled: false);
        Assert.Throws<ArgumentOutOfRangeException>(() => new StorageView(storage, 4, 5));
        Assert.Throws<ArgumentOutOfRangeException>(() => new StorageView(storage, 0, 8).Slice(7, 2));
        Assert.True(StorageView.None.IsNone);
        Assert.False(new StorageView(storage, 8, 0).IsNone);
    }
}
