using Trilobite.Layers;

namespace Trilobite.Onnx.Tests;

/// <summary>Gives a freshly built model weights that exercise every path of an export: BatchNormalization with non-trivial statistics.</summary>
public static class ModelPreparation
{
    /// <summary>Every BatchNormalization (nested models' too) gets γ, β, moving mean and a positive moving variance drawn from <paramref name="seed"/>.</summary>
    public static T WithBatchStatistics<T>(T model, int seed = 1) where T : Model
    {
        var random = new Random(seed);
        foreach (var bn in AllLayers(model).OfType<BatchNormalization>())
        {
            int c = bn.Weights[0].Size;
            float[] Draw(double low, double high) => [.. Enumerable.Range(0, c).Select(_ => (float)(low + (high - low) * random.NextDouble()))];
            bn.SetWeights([Draw(0.5, 1.5), Draw(-0.3, 0.3), Draw(-0.2, 0.2), Draw(0.3, 2.0)]);
        }
        return model;
    }

    public static IEnumerable<Layer> AllLayers(Model model) =>
        model.Layers.SelectMany(l => l is Model inner && inner != model ? AllLayers(inner) : [l]);
}
