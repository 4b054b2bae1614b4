using System.IO.Compression;
using Trilobite.Layers;
using Trilobite.Serialization;

namespace Trilobite.Tests.Serialization;

public class ModelArchiveTests
{
    private static string TempFile() => Path.Combine(Path.GetTempPath(), $"trilobite-{Guid.NewGuid():N}.trilo");

    private static Model SmallCnn()
    {
        RandomSeed.Set(2);
        var input = Input.Of([8, 8, 1]);
        var x = new Conv2D(4, 3, padding: Padding.Same, activation: Activation.ReLU).Call(input);
        var y = new BatchNormalization().Call(new Conv2D(4, 3, padding: Padding.Same).Call(x));
        var z = new Add().Call(x, y);
        var outputs = new Dense(3, activation: Activation.Softmax).Call(new Flatten().Call(new MaxPooling2D(2).Call(z)));
        var model = new Model(input, outputs);
        model.Compile(Loss.CategoricalCrossentropy, new Adam(), [Metric.Accuracy]);
        return model;
    }

    [Theory]
    [MemberData(nameof(DefaultDevice.Both), MemberType = typeof(DefaultDevice))]
    public void SaveLoadPredictIsIdenticalAndTrainingResumesExactly(string device)
    {
        // Files hold float32 (as Keras's do): on the cpu device save and load are exact; on the reference device the
        // file rounds each double weight to float, so the loaded model agrees to float precision.
        using var _ = DefaultDevice.Use(device);
        void Same(IEnumerable<float> expected, IEnumerable<float> actual)
        {
            if (device == "cpu") Assert.Equal(expected, actual);
            else Backends.BackendTesting.Agree(expected.Select(v => (double)v).ToArray(), actual.Select(v => (double)v).ToArray(), 1e-6, 1e-5, "after loading");
        }
        var x = Tensor.Uniform([12, 8, 8, 1], 0, 1, 3);
        var y = Tensor.Zeros(12, 3);
        for (int i = 0; i < 12; i++) y[i, i % 3] = 1;

        var straight = SmallCnn();
        var full = straight.Fit(x, y, batchSize: 4, epochs: 4, verbose: 0);

        var interrupted = SmallCnn();
        interrupted.Fit(x, y, batchSize: 4, epochs: 2, verbose: 0);
        string path = TempFile();
        interrupted.Save(path);
        var loaded = Model.Load(path);
        Same(interrupted.Predict(x).ToArray(), loaded.Predict(x).ToArray());
        Assert.Equal(2, loaded.CompletedEpochs);
        var rest = loaded.Fit(x, y, batchSize: 4, epochs: 4, verbose: 0, initialEpoch: loaded.CompletedEpochs);
        Same(full["loss"].Skip(2).Select(v => (float)v), rest["loss"].Select(v => (float)v));
        Same(straight.Predict(x).ToArray(), loaded.Predict(x).ToArray());
        File.Delete(path);
    }

    [Fact]
    public void TruncatedFileGivesAClearError()
    {
        string path = TempFile();
        SmallCnn().Save(path);
        var bytes = File.ReadAllBytes(path);
        File.WriteAllBytes(path, bytes[..(bytes.Length / 2)]);
        var ex = Assert.Throws<InvalidDataException>(() => Model.Load(path));
        Assert.Contains(path, ex.Message);
        File.Delete(path);
    }

    [Fact]
    public void TamperedFilesNeverCrashOrHang()
    {
        string path = TempFile();
        SmallCnn().Save(path);
        var original = File.ReadAllBytes(path);
        var random = new Random(5);
        for (int trial = 0; trial < 150; trial++)
        {
            var bytes = (byte[])original.Clone();
            for (int k = 0; k < 1 + trial % 8; k++) bytes[random.Next(bytes.Length)] = (byte)random.Next(256);
            File.WriteAllBytes(path, bytes);
            try { Model.Load(path); }
            catch (InvalidDataException e) { Assert.Contains(path, e.Message); }
        }
        File.Delete(path);
    }

    [Fact]
    public void OversizedHeaderIsRefusedWithoutAllocating()
    {
        var blob = new byte[16];
        BitConverter.GetBytes((ulong)1 << 40).CopyTo(blob, 0);
        var ex = Assert.Throws<InvalidDataException>(() => SafeTensors.Read(blob, "x.safetensors"));
        Assert.Contains("header length", ex.Message);
    }

    [Fact]
    public void TamperedWeightShapeIsNamed()
    {
        string path = TempFile();
        SmallCnn().Save(path);
        using (var zip = ZipFile.Open(path, ZipArchiveMode.Update))
        {
            zip.GetEntry("model.safetensors")!.Delete();
            using var s = zip.CreateEntry("model.safetensors").Open();
            s.Write(SafeTensors.Write([("conv2d_1/kernel", [1, 2], new float[2])]));
        }
        var ex = Assert.Throws<InvalidDataException>(() => Model.Load(path));
        Assert.Contains("conv2d_1/kernel", ex.Message);
        File.Delete(path);
    }

    [Fact]
    public void WritesAreAtomic()
    {
        string path = TempFile();
        File.WriteAllText(path, "old");
        Assert.ThrowsAny<Exception>(() => AtomicFile.Write(path, s => { s.WriteByte(1); throw new IOException("disk full"); }));
        Assert.Equal("old", File.ReadAllText(path));
        Assert.Single(Directory.GetFiles(Path.GetDirectoryName(path)!, $"*{Path.GetFileName(path)}*"));
        File.Delete(path);
    }

    [Fact]
    public void AbandonedTemporaryFilesAreRemovedByTheNextWrite()
    {
        // A process killed while saving leaves ".name.GUID.tmp"; the next save of the same file removes it once stale.
        string dir = Path.Combine(Path.GetTempPath(), $"trilobite-atomic-{Guid.NewGuid():N}");
        Directory.CreateDirectory(dir);
        string path = Path.Combine(dir, "model.trilo");
        string stale = Path.Combine(dir, $".model.trilo.{Guid.NewGuid():N}.tmp"), young = Path.Combine(dir, $".model.trilo.{Guid.NewGuid():N}.tmp");
        string unrelated = Path.Combine(dir, ".model.trilo.notes.tmp"), otherTarget = Path.Combine(dir, $".other.trilo.{Guid.NewGuid():N}.tmp");
        foreach (var f in new[] { stale, young, unrelated, otherTarget }) File.WriteAllText(f, "x");
        foreach (var f in new[] { stale, unrelated, otherTarget }) File.SetLastWriteTimeUtc(f, DateTime.UtcNow.AddHours(-2));
        AtomicFile.Write(path, s => s.WriteByte(1));
        Assert.False(File.Exists(stale));
        Assert.True(File.Exists(young));        // may be another process's write in progress
        Assert.True(File.Exists(unrelated));    // not a name AtomicFile makes
        Assert.True(File.Exists(otherTarget));  // belongs to another file's writes
        Directory.Delete(dir, true);
    }
}
