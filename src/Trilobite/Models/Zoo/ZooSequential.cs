using Trilobite.Layers;

namespace Trilobite.Zoo;

/// <summary>Builds a Sequential of many layers in one go: the graph is laid out once for the given input shape, not once per added layer.</summary>
internal static class ZooSequential
{
    public static Sequential Build(IEnumerable<Layer> layers, int[] inputShape)
    {
        var model = new Sequential(layers, null);
        model.Build(inputShape);
        return model;
    }
}
