using Trilobite.Initializers;
using Trilobite.Layers;

namespace Trilobite.Vision.Detection;

/// <summary>The detectors' compact backbone: stages of a strided 3×3 convolution and a 3×3 convolution, each with BatchNormalization (momentum 0.9) and ReLU.</summary>
internal static class Backbone
{
    /// <summary>A 3×3 convolution with 16 filters at full resolution.</summary>
    public static SymbolicTensor Stem(SymbolicTensor x) => ConvBnRelu(x, 16, 1, "stem");

    /// <summary>Half the size: a strided 3×3 convolution, then a 3×3 one.</summary>
    public static SymbolicTensor Stage(SymbolicTensor x, int filters, string name) =>
        ConvBnRelu(ConvBnRelu(x, filters, 2, name + "_down"), filters, 1, name + "_conv");

    public static SymbolicTensor ConvBnRelu(SymbolicTensor x, int filters, int stride, string name)
    {
        x = new Conv2D(filters, 3, strides: stride, padding: Padding.Same, useBias: false, kernelInitializer: Initializer.HeNormal, name: name).Call(x);
        x = new BatchNormalization(momentum: 0.9, name: name + "_bn").Call(x);
        return new ActivationLayer(Activation.ReLU, name: name + "_relu").Call(x);
    }
}
