using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;
using Trilobite.Onnx.Pretrained;

namespace Trilobite.Onnx.Tests.Import;

/// <summary>The ImageNet-pretrained ResNet-18 from NuGet, imported, against ONNX Runtime running the same two files.</summary>
public class PretrainedResNet18Tests
{
    [Fact]
    public void Imported_pretrained_ResNet18_gives_OnnxRuntimes_features_on_the_photographs()
    {
        string? folder = ResNet18Features.FindPackageModels();
        Assert.True(folder != null, "the test project's PackageDownload should have restored the package into the NuGet cache");
        var photos = RealInputs.PhotoPaths();
        if (photos is not { Length: > 0 })
        {
            Console.WriteLine("../shared/data/images is absent: the ResNet-18 agreement test is skipped.");
            return;
        }
        var model = ResNet18Features.Load(folder);
        // Every value of the file's 110 initializers (onnx.numpy_helper: 15,908,800), and the preprocessing's 3×224×224 mean image.
        Assert.Equal(15_908_800, model.Weights.Where(w => w.Name != "constant").Sum(w => (long)w.Size));
        Assert.Equal(15_908_800 + 150_528, model.ParameterCount);
        using var preprocess = new InferenceSession(Path.Combine(folder!, "ResNetPrepOnnx", "ResNetPreprocess.onnx"));
        using var network = new InferenceSession(Path.Combine(folder!, "ResNet18Onnx", "ResNet18.onnx"));
        var batch = Tensor.FromArray([.. photos.SelectMany(p => RealInputs.Photo(p, 224))], photos.Length, 224, 224, 3);
        var ours = model.Predict(batch).ToArray();
        for (int n = 0; n < photos.Length; n++)
        {
            var nchw = Layout.ToNchw(RealInputs.Photo(photos[n], 224), 1, 224, 224, 3);
            using var prepared = preprocess.Run([NamedOnnxValue.CreateFromTensor("OriginalInput", new DenseTensor<float>(nchw, [1, 3, 224, 224]))]);
            var bgr = prepared.First().AsTensor<float>().ToArray();
            using var features = network.Run([NamedOnnxValue.CreateFromTensor("Input247", new DenseTensor<float>(bgr, [1, 3, 224, 224]))]);
            var expected = features.First().AsTensor<float>().ToArray();
            Agreement.Within(ours[(n * 512)..((n + 1) * 512)], expected, 1e-4, Path.GetFileName(photos[n]));
        }
    }
}
