using Trilobite.Data;
using Trilobite.Zoo;
using static Trilobite.Cli.Tests.CliRunner;

namespace Trilobite.Cli.Tests;

/// <summary>export, import, summary of .onnx files, and predict on .npy tensors.</summary>
public class OnnxCliTests
{
    [Fact]
    public void Export_import_and_npy_predict_agree_with_the_saved_model()
    {
        string dir = TempDir();
        var model = LeNetKeras.Build();
        string saved = Path.Combine(dir, "lenet.trilo"), onnx = Path.Combine(dir, "lenet.onnx"), back = Path.Combine(dir, "back.trilo");
        model.Save(saved);

        var (code, output, err) = Run("export", saved, "--onnx", onnx);
        Assert.True(code == 0, err);
        Assert.Contains("ONNX opset 13, input (None, 28, 28, 1) NHWC, 1,199,882 parameters", output);

        (code, output, err) = Run("import", onnx, "--save", back);
        Assert.True(code == 0, err);
        Assert.Contains("Total params: 1,199,882", output);
        Assert.Contains($"Saved {back}.", output);

        (code, output, err) = Run("summary", onnx);
        Assert.True(code == 0, err);
        Assert.Contains("Total params: 1,199,882", output);

        var test = Mnist.LoadSample().Test.Slice(0, 5);
        var x = Tensor.FromArray(test.Pixels, 5, 28, 28, 1);
        string input = Path.Combine(dir, "x.npy");
        NpyFile.Write(input, x);
        foreach (var file in new[] { saved, onnx, back })
        {
            string result = Path.Combine(dir, Path.GetFileName(file) + ".out.npy");
            (code, output, err) = Run("predict", file, input, "--out", result);
            Assert.True(code == 0, err);
            Assert.Contains("output (5, 10) for input (5, 28, 28, 1)", output);
            var (values, shape) = NpyFile.Read(result);
            Assert.Equal([5, 10], shape);
            var expected = model.Predict(x).ToArray();
            for (int i = 0; i < values.Length; i++) Assert.Equal(expected[i], values[i], 1e-5f);
        }
    }

    [Fact]
    public void Train_transfer_freezes_the_pretrained_base_and_trains_a_new_head()
    {
        string dir = ColourFolder(TempDir(), perClass: 5, width: 40, height: 30, seed: 2);
        string saved = Path.Combine(dir, "transfer.trilo");
        var (code, output, err) = Run("train", "transfer", "--base", "resnet18-imagenet", "--data", dir, "--epochs", "2", "--batch-size", "4",
            "--validation-split", "0.2", "--save", saved, "--verbose", "0");
        Assert.True(code == 0, err);
        Assert.Contains("10 images in 2 classes (blue, red): 8 for training, 2 for validation, as (None, 224, 224, 3)", output);
        Assert.Contains("Validation accuracy: ", output);
        var summary = Run("summary", saved).Out;
        Assert.Contains("Trainable params: 1,026", summary);                 // the head: 512 × 2 + 2
        Assert.Contains("resnet18_imagenet (Functional)", summary);

        (code, _, err) = Run("train", "lenet", "--freeze-base", "false");
        Assert.Equal(ExitCodes.Usage, code);
        Assert.Contains("are for 'train transfer'", err);
    }

    [Fact]
    public void Bad_files_and_shapes_are_one_line_errors()
    {
        string dir = TempDir();
        string garbage = Path.Combine(dir, "garbage.onnx");
        File.WriteAllBytes(garbage, [1, 2, 3, 4, 5, 6, 7, 8, 9]);
        var (code, _, err) = Run("import", garbage, "--save", Path.Combine(dir, "x.trilo"));
        Assert.Equal(ExitCodes.Failure, code);
        Assert.StartsWith($"error: {garbage}: not an ONNX model", err);
        Assert.Single(err.TrimEnd().Split('\n'));

        string saved = Path.Combine(dir, "lenet.trilo");
        LeNetKeras.Build().Save(saved);
        string wrong = Path.Combine(dir, "wrong.npy");
        NpyFile.Write(wrong, new float[2 * 32 * 32], [2, 32, 32, 1]);
        (code, _, err) = Run("predict", saved, wrong, "--out", Path.Combine(dir, "y.npy"));
        Assert.Equal(ExitCodes.Failure, code);
        Assert.Contains("shape (2, 32, 32, 1) is not a batch of the model's input (None, 28, 28, 1)", err);

        (code, _, err) = Run("predict", saved, wrong);
        Assert.Equal(ExitCodes.Usage, code);
        Assert.Contains("needs --out", err);

        (code, _, err) = Run("export", Path.Combine(dir, "missing.trilo"), "--onnx", Path.Combine(dir, "m.onnx"));
        Assert.Equal(ExitCodes.Failure, code);
        Assert.Contains("missing.trilo", err);
    }
}
