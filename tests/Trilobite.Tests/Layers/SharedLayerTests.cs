using Trilobite.Initializers;
using Trilobite.Layers;

namespace Trilobite.Tests.Layers;

/// <summary>One Conv2D called on feature maps of two sizes (a detector's head on two pyramid levels): one set of weights, saved once.</summary>
public class SharedLayerTests
{
    [Fact]
    public void AConvolutionSharedAcrossTwoSizesUsesOneKernelAndSurvivesSaving()
    {
        RandomSeed.Set(3);
        var input = Input.Of([8, 8, 2]);
        var fine = new Conv2D(3, 3, padding: Padding.Same, name: "fine").Call(input);
        var coarse = new MaxPooling2D(2).Call(fine);
        var head = new Conv2D(2, 3, padding: Padding.Same, name: "shared_head");
        var a = new Flatten().Call(head.Call(fine));       // 8×8×3 → 8×8×2
        var b = new Flatten().Call(head.Call(coarse));     // 4×4×3 → 4×4×2
        var model = new Model(input, new Concatenate().Call(a, b), "shared");
        Assert.Equal([8 * 8 * 2 + 4 * 4 * 2], model.OutputShape);
        Assert.Equal(3 * 3 * 2 * 3 + 3 + 3 * 3 * 3 * 2 + 2, model.Weights.Sum(w => w.Size));   // the head's kernel counted once

        var x = Tensor.Uniform([2, 8, 8, 2], -1, 1, 4);
        var y = model.Predict(x).ToArray();
        // The coarse half is the head's kernel applied to the pooled map: the same as calling the layer eagerly.
        var pooled = new Model(input, coarse).Predict(x);
        var direct = head.Call(pooled).ToArray();
        for (int n = 0; n < 2; n++)
            for (int i = 0; i < 32; i++) Assert.Equal(direct[n * 32 + i], y[n * 160 + 128 + i], 5);

        string file = Path.Combine(Path.GetTempPath(), $"trilobite-shared-{Guid.NewGuid():N}.trilobite");
        try
        {
            model.Metadata["purpose"] = "a test";
            model.Save(file);
            var loaded = Model.Load(file);
            Assert.Equal(y, loaded.Predict(x).ToArray());
            Assert.Equal("a test", loaded.Metadata["purpose"]);
        }
        finally { File.Delete(file); }
    }

    [Fact]
    public void LayersThatCannotShareRefuseAnotherShapeAndSharingNeedsTheSameChannels()
    {
        var dense = new Dense(4);
        dense.Build([3]);
        Assert.Throws<LayerShapeException>(() => dense.Build([5]));
        var conv = new Conv2D(2, 3, padding: Padding.Same);
        conv.Build([8, 8, 3]);
        Assert.Equal([4, 4, 2], conv.Build([4, 4, 3]));
        Assert.Throws<LayerShapeException>(() => conv.Build([8, 8, 4]));
        Assert.Equal([1, 6, 6, 2], conv.Call(Tensor.Zeros(1, 6, 6, 3)).ShapeArray);        // an eager call shares too
    }

    [Fact]
    public void NormalAndConstantInitializersRoundTripThroughTheirNames()
    {
        var conv = new Conv2D(64, 3, kernelInitializer: Initializer.RandomNormal(0.01), biasInitializer: Initializer.ConstantValue(-4.59512));
        conv.Build([16, 16, 64]);
        conv.ReinitializeWeights();
        float[] kernel = conv.Kernel.Value.ToArray();
        double mean = kernel.Average(), std = Math.Sqrt(kernel.Select(v => (v - mean) * (v - mean)).Average());
        Assert.True(Math.Abs(mean) < 1e-3 && Math.Abs(std - 0.01) < 5e-4, $"mean {mean}, std {std}");
        Assert.All(conv.Bias!.Value.ToArray(), v => Assert.Equal(-4.59512f, v));
        Assert.Equal("random_normal(0.01)", Initializer.FromName("random_normal(0.01)").Name);
        Assert.Equal("constant(-4.59512)", Initializer.FromName(conv.BiasInitializer.Name).Name);
        Assert.Throws<ArgumentOutOfRangeException>(() => Initializer.RandomNormal(0));
    }
}
