using System.Diagnostics;
using System.Text;
using System.Text.Json.Nodes;
using Trilobite.Layers;
using Trilobite.Serialization;

namespace Trilobite.Tests.Serialization;

/// <summary>Model files that are damaged or made to mislead are refused with one line naming the file and what is wrong.</summary>
public class ModelArchiveHardeningTests : IDisposable
{
    private readonly string _path = Path.Combine(Path.GetTempPath(), $"trilobite-hardening-{Guid.NewGuid():N}.trilo");

    public void Dispose() => File.Delete(_path);

    /// <summary>A small trained Sequential (so the file has optimizer state) with class names, saved to the test's path.</summary>
    private string Saved()
    {
        RandomSeed.Set(4);
        var model = new Sequential(
            new Conv2D(4, 3, activation: Activation.ReLU, inputShape: [8, 8, 1]), new MaxPooling2D(2),
            new BatchNormalization(), new Flatten(), new Dense(3, activation: Activation.Softmax));
        ArchiveEditing.SaveTrained(model, _path, ["cat", "dog", "eel"], seed: 1);
        return _path;
    }

    private static InvalidDataException Refused(string path)
    {
        var e = Assert.Throws<InvalidDataException>(() => Model.Load(path));
        Assert.StartsWith(path + ": ", e.Message);
        Assert.DoesNotContain("(Parameter", e.Message);
        Assert.DoesNotContain("Exception", e.Message);
        Assert.DoesNotContain('\n', e.Message);
        return e;
    }

    [Fact]
    public void AFlippedByteInStoredWeightsFailsTheChecksum()
    {
        var entries = ArchiveEditing.Entries(File.ReadAllBytes(Saved()));
        var zip = ArchiveEditing.Zip(entries);
        var weights = entries.Single(e => e.Name == "model.safetensors").Content;
        int at = zip.AsSpan().IndexOf(weights);
        Assert.True(at > 0);
        zip[at + weights.Length - 3] ^= 0x40;   // inside the last float: still a valid safetensors file
        File.WriteAllBytes(_path, zip);
        var e = Refused(_path);
        Assert.Contains("'model.safetensors' is damaged (CRC-32", e.Message);
    }

    [Fact]
    public void TwoEntriesOfOneNameAreRefused()
    {
        var entries = ArchiveEditing.Entries(File.ReadAllBytes(Saved()));
        entries.Add(("model.safetensors", entries.Single(e => e.Name == "model.safetensors").Content));
        File.WriteAllBytes(_path, ArchiveEditing.Zip(entries));
        Assert.Contains("two entries named 'model.safetensors'", Refused(_path).Message);
    }

    [Theory]
    [InlineData(2, "format version 2; this Trilobite reads version 1 (the file is from a newer Trilobite)")]
    [InlineData(0, "format version 0; this Trilobite reads version 1.")]
    public void UnknownFormatVersionsAreRefused(int version, string expected)
    {
        ArchiveEditing.EditConfig(Saved(), c => c["version"] = version);
        Assert.Contains(expected, Refused(_path).Message);
    }

    [Fact]
    public void OptimizerStateMustFitTheWeights()
    {
        ArchiveEditing.EditEntry(Saved(), "optimizer.safetensors", bytes =>
        {
            var slots = SafeTensors.Read(bytes, "optimizer.safetensors");
            var list = slots.Select(kv => (kv.Key, kv.Value.Shape, kv.Value.Data)).ToList();
            int i = list.FindIndex(s => s.Key == "conv2d_1/kernel/0");
            list[i] = (list[i].Key, [5], new float[5]);
            return SafeTensors.Write(list);
        });
        Assert.Contains("5 values in 'conv2d_1/kernel/0', but weight 'conv2d_1/kernel' has 36", Refused(_path).Message);

        ArchiveEditing.EditEntry(Saved(), "optimizer.safetensors", bytes =>
            SafeTensors.Write([.. SafeTensors.Read(bytes, "x").Select(kv => (kv.Key, kv.Value.Shape, kv.Value.Data)), ("ghost/kernel/0", [1], new float[1])]));
        Assert.Contains("state 'ghost/kernel/0' for a weight the model does not have", Refused(_path).Message);
    }

    [Fact]
    public void ClassNamesAreOnePerOutput()
    {
        ArchiveEditing.EditConfig(Saved(), c => c["training"]!["class_names"] = new JsonArray("cat", "dog"));
        Assert.Contains("lists 2 class names, but the model has 3 outputs", Refused(_path).Message);

        var model = Model.Load(Saved());
        var e = Assert.Throws<ArgumentException>(() => model.ClassNames = ["one"]);
        Assert.Contains("has 3 outputs, but 1 class names were given", e.Message);
    }

    [Fact]
    public void AFileWithoutCompletedEpochsStartsFromEpochZero()
    {
        ArchiveEditing.EditConfig(Saved(), c => c["training"]!.AsObject().Remove("completed_epochs"));
        Assert.Equal(0, Model.Load(_path).CompletedEpochs);
        ArchiveEditing.EditConfig(_path, c => c["training"]!["completed_epochs"] = -2);
        Assert.Contains("completed_epochs", Refused(_path).Message);
    }

    [Theory]
    [InlineData("Conv2D", "strides", "[0, 1]", "Conv2D: strides must be at least 1 in both directions, got (0, 1).")]
    [InlineData("Conv2D", "strides", "0", "Conv2D: strides must be at least 1 in both directions, got (0, 0).")]
    [InlineData("Conv2D", "kernel_size", "[3, 0]", "Conv2D: kernel_size must be at least 1")]
    [InlineData("Conv2D", "dilation_rate", "[1, -2]", "Conv2D: dilation_rate must be at least 1")]
    [InlineData("Conv2D", "kernel_size", "[3]", "'kernel_size' must be a number or a pair [rows, columns], got [3].")]
    [InlineData("Conv2D", "filters", "0", "Conv2D needs at least one filter, got 0.")]
    [InlineData("Conv2D", "filters", "\"many\"", "'filters' must be an integer, got \"many\".")]
    [InlineData("Conv2D", "name", "\"conv/1\"", "Layer name 'conv/1' is not an identifier")]
    [InlineData("MaxPooling2D", "pool_size", "[0, 2]", "must be at least 1")]
    [InlineData("BatchNormalization", "momentum", "1.5", "BatchNormalization: momentum must be in [0, 1], got 1.5.")]
    [InlineData("BatchNormalization", "epsilon", "0", "BatchNormalization: epsilon must be a positive number, got 0.")]
    [InlineData("Dense", "units", "-1", "Dense needs at least one unit, got -1.")]
    [InlineData("Dense", "activation", "null", "config is missing 'activation' (has name, trainable,")]
    public void LayerConfigsThatCannotWorkAreRefused(string layer, string key, string json, string expected)
    {
        ArchiveEditing.EditConfig(Saved(), c => ArchiveEditing.LayerConfig(c, layer)[key] = JsonNode.Parse(json));
        var e = Refused(_path);
        Assert.Contains($"({layer}): ", e.Message);
        Assert.Contains(expected, e.Message);
    }

    [Fact]
    public void AFileWithTwentyThousandLayersIsRefusedAtOnce()
    {
        var clock = Stopwatch.StartNew();
        ArchiveEditing.EditConfig(Saved(), c => c["model"]!["config"]!["layers"] = new JsonArray(Enumerable.Range(0, 20_000)
            .Select(_ => (JsonNode)new JsonObject { ["class_name"] = "Activation", ["config"] = new JsonObject { ["activation"] = "relu" } }).ToArray()));
        Assert.Contains("the model has 20000 layers, more than the 10000 a file may hold", Refused(_path).Message);
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(20), $"took {clock.Elapsed}");
    }

    [Fact]
    public void TheDeepestAllowedModelBuildsSavesAndLoads()
    {
        // Building a Sequential used to rebuild the graph after every layer: quadratic, 96 s for 20,000 layers.
        var clock = Stopwatch.StartNew();
        var layers = Enumerable.Range(0, ModelConfig.MaxLayers).Select(i => (Layer)new ActivationLayer(Activation.ReLU, i == 0 ? [4] : null)).ToList();
        var deep = new Sequential(layers, "deep");
        deep.Save(_path);
        var loaded = Model.Load(_path);
        Assert.Equal(ModelConfig.MaxLayers, ((Sequential)loaded).Stack.Count);
        Assert.Equal([2f, 0f, 0f, 1f], loaded.Predict(Tensor.FromArray([2f, -1f, 0f, 1f], [1, 4])).ToArray());
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(20), $"took {clock.Elapsed}");
    }

    [Fact]
    public void SafeTensorsRangesMustTileTheDataExactly()
    {
        static byte[] File(string header, int dataBytes)
        {
            var h = Encoding.UTF8.GetBytes(header);
            var blob = new byte[8 + h.Length + dataBytes];
            BitConverter.GetBytes((ulong)h.Length).CopyTo(blob, 0);
            h.CopyTo(blob, 8);
            return blob;
        }
        const string A = "\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":";
        const string B = "\"b\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":";
        Assert.Equal(2, SafeTensors.Read(File("{" + A + "[0,8]}," + B + "[8,16]}}", 16), "ok").Count);
        Assert.Contains("starts at byte 0, inside the previous tensor", Assert.Throws<InvalidDataException>(() =>
            SafeTensors.Read(File("{" + A + "[0,8]}," + B + "[0,8]}}", 8), "x.safetensors")).Message);
        Assert.Contains("bytes 0 to 8 belong to no tensor", Assert.Throws<InvalidDataException>(() =>
            SafeTensors.Read(File("{" + A + "[8,16]}}", 16), "x.safetensors")).Message);
        Assert.Contains("the tensors cover 8 of the 12 data bytes", Assert.Throws<InvalidDataException>(() =>
            SafeTensors.Read(File("{" + A + "[0,8]}}", 12), "x.safetensors")).Message);
        Assert.Contains("not valid JSON", Assert.Throws<InvalidDataException>(() =>
            SafeTensors.Read(File("{" + A + "[0,8]}," + A + "[0,8]}}", 8), "x.safetensors")).Message);
    }

    [Theory]
    [InlineData("conv/1")]
    [InlineData("<img src=x onerror=alert(1)>")]
    [InlineData("")]
    [InlineData("two words")]
    public void LayerNamesAreIdentifiers(string name)
    {
        var e = Assert.Throws<ArgumentException>(() => new Dense(3, name: name));
        Assert.Contains("is not an identifier", e.Message);
        Assert.Throws<ArgumentException>(() => new Dense(3, name: new string('a', 129)));
        Assert.Equal("block1_conv1", new Conv2D(2, 3, name: "block1_conv1").Name);
        Assert.Equal("res2a.branch-1", new Dense(2, name: "res2a.branch-1").Name);
    }

    [Fact]
    public void ConstructorsRefuseArgumentsThatCannotWork()
    {
        Assert.Contains("strides must be at least 1", Assert.Throws<ArgumentException>(() => new Conv2D(2, 3, strides: 0)).Message);
        Assert.Contains("dilation_rate must be at least 1", Assert.Throws<ArgumentException>(() => new Conv2D(2, 3, dilationRate: 0)).Message);
        Assert.Contains("epsilon must be a positive number", Assert.Throws<ArgumentException>(() => new BatchNormalization(epsilon: -1)).Message);
        Assert.Contains("momentum must be in [0, 1]", Assert.Throws<ArgumentException>(() => new BatchNormalization(momentum: double.NaN)).Message);
        Assert.Contains("target_shape needs positive dimensions", Assert.Throws<ArgumentException>(() => new Reshape([0, 4])).Message);
        Assert.Contains("at most one -1", Assert.Throws<ArgumentException>(() => new Reshape([-1, -1])).Message);
        Assert.Contains("input shape needs positive dimensions", Assert.Throws<ArgumentException>(() => new Dense(2, inputShape: [0])).Message);
        Assert.Contains("Adam: beta_1 must be in [0, 1)", Assert.Throws<ArgumentException>(() => new Adam(beta1: 1)).Message);
        Assert.Contains("RMSprop: rho must be in [0, 1)", Assert.Throws<ArgumentException>(() => new RMSprop(rho: -0.1)).Message);
        Assert.Contains("Adam: epsilon must be a positive number, got 0", Assert.Throws<ArgumentException>(() => new Adam(epsilon: 0)).Message);   // 0/0 where a gradient never moved
        Assert.Throws<ArgumentOutOfRangeException>(() => new SGD(double.PositiveInfinity));
    }

    [Fact]
    public void ErrorTextIsOneLineWithoutDotNetWording()
    {
        Assert.Equal("Learning rate must be positive, got 0.", ErrorText.Of(Assert.Throws<ArgumentOutOfRangeException>(() => new SGD(0))));
        Assert.Equal("a?b…", Excerpt.Of("a\nbcdef", 3));
        Assert.Equal("(1, 2, 3, 4, 5, 6, 7, 8, … 20 dimensions)", ShapeText.Of(Enumerable.Range(1, 20).ToArray()));
    }
}
