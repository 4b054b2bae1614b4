using PureHDF;
using PureHDF.VOL.Native;
using Trilobite.Layers;

namespace Trilobite.Keras;

/// <summary>
/// Keras 2's HDF5 weights: the root (or <c>model_weights</c>, in a full-model file) has the attribute <c>layer_names</c>; each
/// named group has <c>weight_names</c> ("conv2d/kernel:0", …) naming its datasets. Layers with weights are matched by order,
/// as Keras's <c>load_weights</c> does without <c>by_name</c>.
/// </summary>
internal static class LegacyLayout
{
    /// <summary>The group that holds <c>layer_names</c>, or null.</summary>
    public static IH5Group? Root(NativeFile file) =>
        file.AttributeExists("layer_names") ? file
        : file.LinkExists("model_weights") && file.Group("model_weights").AttributeExists("layer_names") ? file.Group("model_weights") : null;

    public static List<(Layer, float[][])> Read(IH5Group root, Model model, string path)
    {
        var fileLayers = new List<(string Name, string[] Weights)>();
        foreach (string name in Names(root.Attribute("layer_names")))
        {
            if (!root.LinkExists(name)) throw new InvalidDataException($"{path}: layer_names lists '{name}', but the file has no such group.");
            var group = root.Group(name);
            string[] weights = group.AttributeExists("weight_names") ? Names(group.Attribute("weight_names")) : [];
            if (weights.Length > 0) fileLayers.Add((name, weights));
        }
        var ours = KerasWeights.WeightedLayers(model).ToList();
        if (ours.Count != fileLayers.Count)
            throw new InvalidDataException($"{path}: the file has {fileLayers.Count} layers with weights ({string.Join(", ", fileLayers.Select(l => l.Name))}); the model has {ours.Count} ({string.Join(", ", ours.Select(l => l.Name))}).");
        var result = new List<(Layer, float[][])>();
        for (int i = 0; i < ours.Count; i++)
        {
            var (name, weightNames) = fileLayers[i];
            var layer = ours[i];
            if (weightNames.Length != layer.Weights.Count)
                throw new InvalidDataException($"{path}: layer '{name}' in the file has {weightNames.Length} weights; layer '{layer.Name}' ({layer.TypeName}) has {layer.Weights.Count}.");
            var group = root.Group(name);
            result.Add((layer, [.. weightNames.Select((w, j) => KerasWeights.ReadWeight(group.Dataset(w), layer.Weights[j], path))]));
        }
        return result;
    }

    /// <summary>A list of names; Keras writes a layer without weights as an empty float array (np.asarray([])).</summary>
    private static string[] Names(IH5Attribute attribute) =>
        attribute.Space.Dimensions.Aggregate(1UL, (a, b) => a * b) == 0 ? [] : attribute.Read<string[]>();

    public static H5File Build(Model model)
    {
        var file = new H5File();
        var names = new List<string>();
        foreach (var layer in KerasWeights.WeightedLayers(model))
        {
            names.Add(layer.Name);
            var inner = new H5Group();
            var group = new H5Group { [layer.Name] = inner };
            inner.Attributes.Clear();
            foreach (var w in layer.Weights) inner[$"{w.Name}:0"] = KerasWeights.Dataset(w);
            group.Attributes["weight_names"] = layer.Weights.Select(w => $"{layer.Name}/{w.Name}:0").ToArray();
            file[layer.Name] = group;
        }
        file.Attributes["layer_names"] = names.ToArray();
        file.Attributes["backend"] = "trilobite";
        file.Attributes["keras_version"] = "2.15.0";
        return file;
    }
}
