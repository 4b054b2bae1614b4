using Trilobite.Zoo;

namespace Trilobite.Onnx.Tests;

/// <summary>The zoo models the interchange tests export and import, each with real inputs of its shape.</summary>
public static class ZooCases
{
    public static (Model Model, Func<int, Tensor> Inputs) Make(string name) => name switch
    {
        "lenet" => (LeNetKeras.Build(), n => RealInputs.DigitBatch(n)),
        "lenet5" => (LeNet5.Build([28, 28, 1]), n => RealInputs.DigitBatch(n)),
        "alexnet" => (AlexNetInspired.Build(), n => RealInputs.ImageBatch(n, 224)),
        "vgg-inspired" => (VggInspired.Build(), n => RealInputs.ImageBatch(n, 224)),
        "vgg16" => (Vgg16.Build(), n => RealInputs.ImageBatch(n, 224)),
        "resnet18" => (ResNet.Build(18), n => RealInputs.ImageBatch(n, 224)),
        "resnet50" => (ResNet.Build(50), n => RealInputs.ImageBatch(n, 224)),
        "small-resnet" => (SmallResNet.Build(), n => RealInputs.DigitBatch(n)),
        "unet" => (UNet.Build([64, 64, 1], 3, baseFilters: 8, depth: 3), n => RealInputs.DigitBatch(n, 64)),
        "unet-bilinear" => (UNet.Build([60, 60, 1], 2, baseFilters: 8, depth: 2, bilinearUpsampling: true), n => RealInputs.DigitBatch(n, 60)),
        _ => throw new ArgumentException(name),
    };
}
