using System.Diagnostics;
using Trilobite.Data;
using Trilobite.Layers;
using Trilobite.Tests;
using Trilobite.Zoo;

namespace Trilobite.Keras.Tests;

/// <summary>Keras weight files written by h5py in both of Keras's layouts (Golden/keras_weight_files.py) load with every value in place; ours read back in h5py.</summary>
public class KerasWeightsTests
{
    private const string Python = "/usr/bin/python3";

    private static Model Make(string name) => name == "lenet" ? LeNetKeras.Build() : new Sequential(
        new Conv2D(8, 3, padding: Padding.Same, inputShape: [12, 12, 1]), new BatchNormalization(), new ActivationLayer(Activation.ReLU), new Flatten(), new Dense(3));

    /// <summary>The folder the generator wrote into, or null (with the reason printed) when h5py is not installed.</summary>
    private static string? Generate()
    {
        if (!File.Exists(Python) || Run($"-c \"import h5py\"").Code != 0)
        {
            Console.WriteLine("Keras weight tests skipped: /usr/bin/python3 with python3-h5py is not installed.");
            return null;
        }
        string dir = TestData.NewTempDirectory();
        var (code, output) = Run($"\"{Script("keras_weight_files.py")}\" \"{dir}\"");
        Assert.True(code == 0, output);
        return dir;
    }

    [Theory]
    [InlineData("lenet", "weights.h5", KerasWeightFormat.Keras3)]
    [InlineData("lenet", "legacy.h5", KerasWeightFormat.Legacy)]
    [InlineData("bn", "weights.h5", KerasWeightFormat.Keras3)]
    [InlineData("bn", "legacy.h5", KerasWeightFormat.Legacy)]
    public void Keras_files_load_with_every_value_in_place(string name, string suffix, KerasWeightFormat format)
    {
        if (Generate() is not { } dir) return;
        var model = Make(name);
        Assert.Equal(format, KerasWeights.Load(model, Path.Combine(dir, $"{name}.{suffix}")));
        var weights = model.Weights.ToList();
        for (int i = 0; i < weights.Count; i++)
        {
            var (expected, shape) = NpyFile.Read(Path.Combine(dir, $"{name}_{i}.npy"));
            Assert.Equal(weights[i].Shape, shape);
            Assert.Equal(expected, weights[i].Value.ToArray());
        }
    }

    [Fact]
    public void A_wrong_architecture_names_the_layer_and_both_shapes_and_changes_nothing()
    {
        if (Generate() is not { } dir) return;
        var model = new Sequential(new Conv2D(8, 3, padding: Padding.Same, inputShape: [12, 12, 1]), new BatchNormalization(), new Flatten(), new Dense(4));
        var before = model.Weights.Select(w => w.Value.ToArray()).ToList();
        var e = Assert.Throws<InvalidDataException>(() => KerasWeights.Load(model, Path.Combine(dir, "bn.weights.h5")));
        Assert.Contains("layer 'dense_1' weight 'kernel' has shape (1152, 4) in the model, but (1152, 3) in the file", e.Message);
        Assert.Equal(before, model.Weights.Select(w => w.Value.ToArray()).ToList());
        var legacy = Assert.Throws<InvalidDataException>(() => KerasWeights.Load(LeNetKeras.Build(), Path.Combine(dir, "bn.legacy.h5")));
        Assert.Contains("the file has 3 layers with weights (conv2d, batch_normalization, dense); the model has 4", legacy.Message);
    }

    [Theory]
    [InlineData("lenet")]
    [InlineData("bn")]
    public void Saved_files_read_back_in_h5py_and_in_Trilobite(string name)
    {
        if (Generate() is null) return;
        string dir = TestData.NewTempDirectory();
        var model = Make(name);
        var weights = model.Weights.ToList();
        for (int i = 0; i < weights.Count; i++) NpyFile.Write(Path.Combine(dir, $"{name}_{i}.npy"), weights[i].Value);
        File.WriteAllLines(Path.Combine(dir, $"{name}.paths"), name == "lenet"
            ? ["layers/conv2d/vars/0", "layers/conv2d/vars/1", "layers/conv2d_1/vars/0", "layers/conv2d_1/vars/1", "layers/dense/vars/0", "layers/dense/vars/1", "layers/dense_1/vars/0", "layers/dense_1/vars/1"]
            : ["layers/conv2d/vars/0", "layers/conv2d/vars/1", .. Enumerable.Range(0, 4).Select(i => $"layers/batch_normalization/vars/{i}"), "layers/dense/vars/0", "layers/dense/vars/1"]);
        KerasWeights.Save(model, Path.Combine(dir, $"{name}.weights.h5"));
        KerasWeights.Save(model, Path.Combine(dir, $"{name}.legacy.h5"), KerasWeightFormat.Legacy);
        var (code, output) = Run($"\"{Script("check_trilobite_files.py")}\" \"{dir}\" {name}");
        Assert.True(code == 0, output);
        foreach (var file in new[] { "weights.h5", "legacy.h5" })
        {
            var copy = Make(name);
            KerasWeights.Load(copy, Path.Combine(dir, $"{name}.{file}"));
            Assert.Equal(model.GetWeightsOfAllLayers(), copy.GetWeightsOfAllLayers());
        }
    }

    [Fact]
    public void Garbage_and_missing_files_are_clear_errors()
    {
        string dir = TestData.NewTempDirectory();
        string garbage = Path.Combine(dir, "garbage.h5");
        File.WriteAllBytes(garbage, [.. Enumerable.Range(0, 4096).Select(i => (byte)(i * 31))]);
        var e = Assert.Throws<InvalidDataException>(() => KerasWeights.Load(LeNetKeras.Build(), garbage));
        Assert.StartsWith(garbage, e.Message);
        Assert.Throws<FileNotFoundException>(() => KerasWeights.Load(LeNetKeras.Build(), Path.Combine(dir, "missing.h5")));
    }

    private static string Script(string name) => Path.Combine(TestData.RepoRoot, "tests", "Trilobite.Keras.Tests", "Golden", name);

    private static (int Code, string Output) Run(string arguments)
    {
        var start = new ProcessStartInfo(Python, arguments) { RedirectStandardError = true, RedirectStandardOutput = true };
        using var process = Process.Start(start)!;
        var stderr = process.StandardError.ReadToEndAsync();
        string output = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        return (process.ExitCode, output + stderr.Result);
    }
}

internal static class ModelWeights
{
    public static List<float[]> GetWeightsOfAllLayers(this Model model) => [.. model.Weights.Select(w => w.Value.ToArray())];
}
