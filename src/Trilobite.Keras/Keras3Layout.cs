using PureHDF;
using PureHDF.VOL.Native;
using Trilobite.Layers;
using Trilobite.Serialization;

namespace Trilobite.Keras;

/// <summary>
/// Keras 3's <c>.weights.h5</c>: <c>layers/&lt;class_snake&gt;[_n]/vars/0, 1, …</c>, where the n-th layer of a class in a model
/// gets the suffix _n (the first none), counted over all the model's layers (weighted or not), as Keras's saving_lib names
/// them; a nested model's layers are under its own <c>layers</c> group.
/// </summary>
internal static class Keras3Layout
{
    public static List<(Layer, float[][])> Read(NativeFile file, Model model, string path)
    {
        var result = new List<(Layer, float[][])>();
        ReadModel(file.Group("layers"), model, "layers", path, result);
        return result;
    }

    private static void ReadModel(IH5Group group, Model model, string where, string path, List<(Layer, float[][])> result)
    {
        foreach (var (layer, name) in Named(model))
        {
            string at = $"{where}/{name}";
            if (layer is Model inner)
            {
                if (inner.Weights.Count > 0) ReadModel(Require(group, name, path, layer).Group("layers"), inner, $"{at}/layers", path, result);
                continue;
            }
            if (layer.Weights.Count == 0) continue;
            var vars = Require(group, name, path, layer).Group("vars");
            var values = new float[layer.Weights.Count][];
            for (int i = 0; i < values.Length; i++)
            {
                if (!vars.LinkExists(i.ToString(System.Globalization.CultureInfo.InvariantCulture)))
                    throw new InvalidDataException($"{path}: '{at}/vars' has no variable {i}; layer '{layer.Name}' ({layer.TypeName}) has {values.Length} weights.");
                values[i] = KerasWeights.ReadWeight(vars.Dataset(i.ToString(System.Globalization.CultureInfo.InvariantCulture)), layer.Weights[i], path);
            }
            result.Add((layer, values));
        }
    }

    private static IH5Group Require(IH5Group group, string name, string path, Layer layer) =>
        group.LinkExists(name) ? group.Group(name)
        : throw new InvalidDataException($"{path}: no group '{name}' for layer '{layer.Name}' ({layer.TypeName}); the file's layers are {string.Join(", ", group.Children().Select(c => c.Name))}.");

    public static H5File Build(Model model)
    {
        var file = new H5File { ["layers"] = BuildModel(model) };
        file.Attributes["trilobite_model"] = model.Name;
        return file;
    }

    private static H5Group BuildModel(Model model)
    {
        var layers = new H5Group();
        foreach (var (layer, name) in Named(model))
        {
            if (layer is Model inner)
            {
                if (inner.Weights.Count > 0) layers[name] = new H5Group { ["layers"] = BuildModel(inner) };
                continue;
            }
            if (layer.Weights.Count == 0) continue;
            var vars = new H5Group();
            for (int i = 0; i < layer.Weights.Count; i++) vars[i.ToString(System.Globalization.CultureInfo.InvariantCulture)] = KerasWeights.Dataset(layer.Weights[i]);
            vars.Attributes["name"] = layer.Name;
            layers[name] = new H5Group { ["vars"] = vars };
        }
        return layers;
    }

    /// <summary>Each layer with its Keras 3 group name: the class in snake case, _1, _2, … for later ones of the same class.</summary>
    private static IEnumerable<(Layer Layer, string Name)> Named(Model model)
    {
        var used = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var layer in model.Layers.Where(l => l is not InputLayer && l != model))
        {
            string name = Names.SnakeCase(layer.TypeName);
            if (used.TryGetValue(name, out int n)) { used[name] = n + 1; name = $"{name}_{n + 1}"; }
            else used[name] = 0;
            yield return (layer, name);
        }
    }
}
