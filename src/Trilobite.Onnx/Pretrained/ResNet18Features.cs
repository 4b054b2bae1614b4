using Trilobite.Layers;

namespace Trilobite.Onnx.Pretrained;

/// <summary>
/// The ImageNet-pretrained ResNet-18 that ML.NET ships as the NuGet package Microsoft.ML.DnnImageFeaturizer.ResNet18
/// (0.23.1, MIT): CNTK's ONNX export (opset 8) without its classifier, 224×224 in, 512 features out, with its
/// preprocessing graph (RGB → BGR, minus a mean image: Caffe's convention, pixels 0–255). Add the package to a project as
/// a download — <c>&lt;PackageDownload Include="Microsoft.ML.DnnImageFeaturizer.ResNet18" Version="[0.23.1]" /&gt;</c>
/// — and restore; <see cref="Load"/> then finds the files in the NuGet cache.
/// <code>var features = ResNet18Features.Load();   // (224, 224, 3) RGB 0–255 → (512)</code>
/// </summary>
public static class ResNet18Features
{
    /// <summary>The NuGet package that holds the model.</summary>
    public const string PackageId = "Microsoft.ML.DnnImageFeaturizer.ResNet18";

    /// <summary>The package version whose files are looked for.</summary>
    public const string PackageVersion = "0.23.1";

    /// <summary>Input height and width.</summary>
    public const int ImageSize = 224;

    /// <summary>Length of the feature vector.</summary>
    public const int FeatureCount = 512;

    /// <summary>The package's folder of models in the NuGet cache ($NUGET_PACKAGES, else ~/.nuget/packages), or null when it was not restored.</summary>
    public static string? FindPackageModels()
    {
        string cache = Environment.GetEnvironmentVariable("NUGET_PACKAGES") is { Length: > 0 } custom ? custom
            : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".nuget", "packages");
        string folder = Path.Combine(cache, PackageId.ToLowerInvariant(), PackageVersion, "tools", "DnnImageModels");
        return File.Exists(Path.Combine(folder, "ResNet18Onnx", "ResNet18.onnx")) ? folder : null;
    }

    /// <summary>
    /// The whole feature extractor as one model: (224, 224, 3) RGB pixels 0–255 → the preprocessing → ResNet-18 → (512).
    /// <paramref name="modelsFolder"/> is the package's tools/DnnImageModels (found in the NuGet cache when null). Throws
    /// <see cref="FileNotFoundException"/> saying how to get the package when it is not there.
    /// </summary>
    public static Model Load(string? modelsFolder = null)
    {
        var (preprocess, network) = LoadParts(modelsFolder);
        var image = Input.Of([ImageSize, ImageSize, 3], "image");
        var features = new Flatten(name: "features").Call(network.Call(preprocess.Call(image)));
        var model = new Model(image, features, "resnet18_imagenet");
        model.Metadata["source"] = $"{PackageId} {PackageVersion} (ImageNet-pretrained ResNet-18, CNTK ONNX export, MIT)";
        model.Metadata["input"] = "RGB pixels 0-255, 224x224";
        return model;
    }

    /// <summary>The two graphs as imported: the preprocessing (RGB → BGR − mean image) and the network ((224, 224, 3) → (1, 1, 512)).</summary>
    public static (Model Preprocess, Model Network) LoadParts(string? modelsFolder = null)
    {
        string folder = modelsFolder ?? FindPackageModels() ?? throw new FileNotFoundException(
            $"The pretrained ResNet-18 is not in the NuGet cache. Add <PackageDownload Include=\"{PackageId}\" Version=\"[{PackageVersion}]\" /> to a project and run 'dotnet restore', or pass the package's tools/DnnImageModels folder.");
        string network = Path.Combine(folder, "ResNet18Onnx", "ResNet18.onnx"), preprocess = Path.Combine(folder, "ResNetPrepOnnx", "ResNetPreprocess.onnx");
        foreach (var file in new[] { network, preprocess })
            if (!File.Exists(file)) throw new FileNotFoundException($"'{file}' is missing: {folder} is not the {PackageId} package's tools/DnnImageModels folder.", file);
        return (OnnxImporter.Load(preprocess), OnnxImporter.Load(network));
    }
}
