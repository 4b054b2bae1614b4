using System.Text;
using Trilobite.Data;
using Trilobite.Layers;
using Trilobite.Testing;
using Trilobite.Tests.Serialization;
using static Trilobite.Tests.Data.IdxFiles;

namespace Trilobite.Tests.Fuzzing;

/// <summary>
/// Thousands of mutated model archives and IDX files (seeded, so every failure is reproducible): each loads, or is refused
/// with the documented <see cref="InvalidDataException"/> whose one-line message starts with the file's name. A model
/// that loads must also predict. See docs/RELIABILITY.md.
/// </summary>
public class LoaderFuzzTests
{
    private static readonly string[] DotNetWording = ["(Parameter", "Exception", "System.", "\n"];

    private static void Documented(InvalidDataException e, string name)
    {
        Assert.StartsWith(name + ": ", e.Message);
        foreach (var words in DotNetWording) Assert.DoesNotContain(words, e.Message);
    }

    /// <summary>A functional model touching most of the config reader: convolution, batch norm, a residual Add, pooling, dense, with optimizer state and class names.</summary>
    private static byte[] SavedModel(string path)
    {
        RandomSeed.Set(6);
        var input = Input.Of([8, 8, 1]);
        var x = new Conv2D(3, 3, padding: Padding.Same, activation: Activation.ReLU).Call(input);
        var y = new BatchNormalization().Call(new Conv2D(3, 3, padding: Padding.Same).Call(x));
        var z = new MaxPooling2D(2).Call(new Add().Call(x, y));
        var outputs = new Dense(3, activation: Activation.Softmax).Call(new Dropout(0.25).Call(new Flatten().Call(z)));
        ArchiveEditing.SaveTrained(new Model(input, outputs), path, ["a", "b", "c"], seed: 2);
        return File.ReadAllBytes(path);
    }

    [Fact]
    public void MutatedModelArchivesLoadOrAreRefusedNamingTheFile()
    {
        string path = Path.Combine(Path.GetTempPath(), $"trilobite-fuzz-{Guid.NewGuid():N}.trilo");
        var original = SavedModel(path);
        var entries = ArchiveEditing.Entries(original);
        string config = Encoding.UTF8.GetString(entries.Single(e => e.Name == "config.json").Content);
        var mutator = new Mutator(20261201);
        int loaded = 0, refused = 0;
        try
        {
            for (int trial = 0, trials = FuzzBudget.Inputs(3000); trial < trials; trial++)
            {
                // A third damages the zip itself; the rest rewrite one entry, re-zipped with valid checksums, so the
                // config reader and the safetensors reader see hostile content past the archive's checks.
                byte[] file = (trial % 3) switch
                {
                    0 => mutator.Bytes(original),
                    1 => ArchiveEditing.Zip(entries.Select(e => e.Name == "config.json" ? (e.Name, Encoding.UTF8.GetBytes(mutator.Json(config))) : e)),
                    _ => ArchiveEditing.Zip(entries.Select(e => e.Name == (trial % 2 == 0 ? "model.safetensors" : "optimizer.safetensors") ? (e.Name, mutator.Bytes(e.Content)) : e)),
                };
                File.WriteAllBytes(path, file);
                Model model;
                try { model = FuzzLimits.Within("model archive", trial, file, () => Model.Load(path)); }
                catch (InvalidDataException e) { Documented(e, path); refused++; continue; }
                loaded++;
                // A model that loads must run: on an input of its shape, when that shape and its activations are small.
                long activations = model.Layers.Sum(l => l.OutputShape.Aggregate(1L, (a, d) => a * d));
                // (The 100,000-input run found configs that list the input twice: a valid two-input model, run with one tensor per input.)
                if (model.GraphInputs.All(i => i.Shape.Aggregate(1L, (a, d) => a * d) <= 4096) && activations <= 1 << 20)
                    using (Trilobite.Autograd.GradMode.NoGrad())
                        model.Forward([.. model.GraphInputs.Select(i => Tensor.Uniform([2, .. i.Shape], 0, 1, trial))], training: false);
            }
        }
        finally { File.Delete(path); }
        Console.WriteLine($"model archive fuzzing: {loaded + refused:N0} inputs, {loaded:N0} loaded, {refused:N0} refused");
        Assert.True(loaded > 50 && refused > 1000, $"{loaded} loaded, {refused} refused");   // seed 20261201: 151 and 2849
    }

    /// <summary>Inputs the 100,000-input runs found (tests/Trilobite.Tests/Fuzzing/Corpus), kept so that they stay refused, cheaply.</summary>
    [Theory]
    [InlineData("declares-1.4-GB-entry.archive", "'model.safetensors' declares 1,392,")]   // a 5 KB archive allocated 1.4 GB before
    public void ArchivesThatOnceBrokeALimitAreRefusedWithinIt(string file, string expected)
    {
        string path = Path.Combine(AppContext.BaseDirectory, "Fuzzing", "Corpus", file);
        var bytes = File.ReadAllBytes(path);
        var e = Assert.Throws<InvalidDataException>(() => FuzzLimits.Within("corpus", 0, bytes, () => Model.Load(path)));
        Documented(e, path);
        Assert.Contains(expected, e.Message);
    }

    [Fact]
    public void MutatedIdxFilesLoadOrAreRefusedNamingTheFile()
    {
        var images = Images(6, 28, 28);
        var sources = new[] { images, Gzip(images), Labels(1, 2, 3, 4, 5, 6), Gzip(Labels(1, 2, 3, 4, 5, 6)) };
        var mutator = new Mutator(6);
        int read = 0, refused = 0;
        for (int trial = 0, trials = FuzzBudget.Inputs(4000); trial < trials; trial++)
        {
            var bytes = mutator.Bytes(sources[trial % sources.Length]);
            try
            {
                var idx = FuzzLimits.Within("IDX", trial, bytes, () => IdxReader.Read(new MemoryStream(bytes), "fuzz.idx"));
                Assert.Equal(idx.Dimensions.Aggregate(1L, (a, d) => a * d), idx.Data.Length);
                read++;
            }
            catch (InvalidDataException e) { Documented(e, "fuzz.idx"); refused++; }
        }
        Console.WriteLine($"IDX fuzzing: {read + refused:N0} inputs, {read:N0} read, {refused:N0} refused");
        Assert.True(read > 100 && refused > 2000, $"{read} read, {refused} refused");   // seed 6: 340 and 3660
    }
}
