using Trilobite.Initializers;
using Trilobite.Layers;

namespace Trilobite.Zoo;

/// <summary>
/// U-Net (Ronneberger, Fischer and Brox 2015): a contracting path of 3×3 convolutions and 2×2 max-pooling that makes the
/// maps smaller and deeper, an expanding path of up-steps and convolutions that brings them back, and skip connections
/// that concatenate each contracting level onto the expanding level of the same depth. A per-pixel classifier: the
/// output has one softmax (or, for one class, sigmoid) channel per class.
/// </summary>
public static class UNet
{
    /// <summary>
    /// The paper's network exactly: 'valid' 3×3 convolutions with ReLU (so each level loses a border), four 2×2 max-pools,
    /// 64 → 1024 filters, up-steps by 2×2 transposed convolutions that halve the filters, skips centre-cropped to the
    /// expanding map before concatenation, and a final 1×1 convolution: 23 convolutional layers, 572×572×1 →
    /// 388×388×classes. Other inputs work when every level's size stays even before pooling (<see cref="PaperInputSizes"/>).
    /// Throws <see cref="ArgumentException"/> for an input size the network cannot take, naming the nearest that it can.
    /// </summary>
    public static Model Paper(int inputSize = 572, int channels = 1, int classes = 2)
    {
        if (!PaperSizeWorks(inputSize))
        {
            int below = PaperInputSizes().TakeWhile(s => s < inputSize).DefaultIfEmpty(0).Last(), above = PaperInputSizes().First(s => s > inputSize);
            throw new ArgumentException($"The paper's U-Net cannot take {inputSize}×{inputSize}: every level must stay even before pooling and positive after its convolutions. Nearest sizes that work: {(below > 0 ? below + " and " : "")}{above} (they are 16k + 124, k ≥ 1: …, 540, 556, 572, 588, …).", nameof(inputSize));
        }
        var input = Input.Of([inputSize, inputSize, channels], "input_1");
        var skips = new List<SymbolicTensor>();
        var x = input;
        int filters = 64;
        for (int level = 0; level < 4; level++, filters *= 2)
        {
            x = TwoConvolutions(x, filters, Padding.Valid, batchNorm: false, $"down{level + 1}");
            skips.Add(x);
            x = new MaxPooling2D(2, name: $"down{level + 1}_pool").Call(x);
        }
        x = TwoConvolutions(x, filters, Padding.Valid, batchNorm: false, "bottom");
        for (int level = 3; level >= 0; level--)
        {
            filters /= 2;
            x = new Conv2DTranspose(filters, 2, strides: 2, kernelInitializer: Initializer.HeNormal, name: $"up{level + 1}_upconv").Call(x);
            var skip = Cropping2D.CenterCropTo(skips[level], x, name: $"up{level + 1}_crop");
            x = new Concatenate(name: $"up{level + 1}_concat").Call(skip, x);
            x = TwoConvolutions(x, filters, Padding.Valid, batchNorm: false, $"up{level + 1}");
        }
        return new Model(input, Head(x, classes), "unet_paper");
    }

    /// <summary>The input sizes the paper's network takes, from the smallest: 16k + 124 for k ≥ 1 (140, 156, …, 572, …).</summary>
    public static IEnumerable<int> PaperInputSizes()
    {
        for (int s = 1; s < 100_000; s++) if (PaperSizeWorks(s)) yield return s;
    }

    private static bool PaperSizeWorks(int size)
    {
        long n = size;
        for (int level = 0; level < 4; level++)
        {
            n -= 4;                                     // two valid 3×3 convolutions
            if (n < 2 || n % 2 != 0) return false;      // the 2×2 pool needs an even size
            n /= 2;
        }
        return n - 4 >= 1;                              // the bottom's two convolutions
    }

    /// <summary>
    /// The common U-Net: 'same' 3×3 convolutions each followed by BatchNormalization and ReLU, so the output has the input's
    /// height and width (which must be divisible by 2^<paramref name="depth"/>), <paramref name="baseFilters"/> doubled at
    /// each of <paramref name="depth"/> levels, up-steps by <c>Conv2DTranspose(f, 2, strides: 2)</c> or, with
    /// <paramref name="bilinearUpsampling"/>, by bilinear <c>UpSampling2D</c> and a 3×3 convolution. Throws
    /// <see cref="ArgumentException"/> for an input size that does not divide.
    /// </summary>
    public static Model Build(int[] inputShape, int classes, int baseFilters = 64, int depth = 4, bool bilinearUpsampling = false)
    {
        ArgumentNullException.ThrowIfNull(inputShape);
        if (inputShape.Length != 3) throw new ArgumentException($"U-Net takes (height, width, channels), got {ShapeText.Of(inputShape)}.", nameof(inputShape));
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(classes);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(baseFilters);
        if (depth is < 1 or > 8) throw new ArgumentOutOfRangeException(nameof(depth), $"U-Net depth must be 1 to 8, got {depth}.");
        int divisor = 1 << depth;
        if (inputShape[0] % divisor != 0 || inputShape[1] % divisor != 0)
            throw new ArgumentException($"A U-Net of depth {depth} needs a height and width divisible by {divisor} (2^{depth}), got {inputShape[0]}×{inputShape[1]}; resize or pad to {Round(inputShape[0], divisor)}×{Round(inputShape[1], divisor)}.", nameof(inputShape));
        var input = Input.Of(inputShape, "input_1");
        var skips = new List<SymbolicTensor>();
        var x = input;
        int filters = baseFilters;
        for (int level = 0; level < depth; level++, filters *= 2)
        {
            x = TwoConvolutions(x, filters, Padding.Same, batchNorm: true, $"down{level + 1}");
            skips.Add(x);
            x = new MaxPooling2D(2, name: $"down{level + 1}_pool").Call(x);
        }
        x = TwoConvolutions(x, filters, Padding.Same, batchNorm: true, "bottom");
        for (int level = depth - 1; level >= 0; level--)
        {
            filters /= 2;
            x = bilinearUpsampling
                ? new Conv2D(filters, 3, padding: Padding.Same, kernelInitializer: Initializer.HeNormal, name: $"up{level + 1}_upconv")
                    .Call(new UpSampling2D((2, 2), "bilinear", name: $"up{level + 1}_upsample").Call(x))
                : new Conv2DTranspose(filters, 2, strides: 2, kernelInitializer: Initializer.HeNormal, name: $"up{level + 1}_upconv").Call(x);
            x = new Concatenate(name: $"up{level + 1}_concat").Call(skips[level], x);
            x = TwoConvolutions(x, filters, Padding.Same, batchNorm: true, $"up{level + 1}");
        }
        return new Model(input, Head(x, classes), "unet");
    }

    private static int Round(int n, int divisor) => (n + divisor - 1) / divisor * divisor;

    /// <summary>3×3 convolution, (BatchNormalization,) ReLU, twice: one level of either path.</summary>
    private static SymbolicTensor TwoConvolutions(SymbolicTensor x, int filters, Padding padding, bool batchNorm, string name)
    {
        for (int i = 1; i <= 2; i++)
        {
            if (batchNorm)
            {
                x = new Conv2D(filters, 3, padding: padding, useBias: false, kernelInitializer: Initializer.HeNormal, name: $"{name}_conv{i}").Call(x);
                x = new BatchNormalization(name: $"{name}_bn{i}").Call(x);
                x = new ActivationLayer(Activation.ReLU, name: $"{name}_relu{i}").Call(x);
            }
            else x = new Conv2D(filters, 3, padding: padding, activation: Activation.ReLU, kernelInitializer: Initializer.HeNormal, name: $"{name}_conv{i}").Call(x);
        }
        return x;
    }

    /// <summary>The 1×1 convolution to one channel per class: softmax over the classes, or a sigmoid for a single class.</summary>
    private static SymbolicTensor Head(SymbolicTensor x, int classes) =>
        new Conv2D(classes, 1, activation: classes == 1 ? Activation.Sigmoid : Activation.Softmax, name: "segmentation").Call(x);
}
