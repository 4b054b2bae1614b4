using PureHDF;
using Trilobite.Layers;

namespace Trilobite.Keras;

/// <summary>
/// Reads and writes Keras weight files for a Trilobite model of the same architecture — for Keras users porting a trained
/// model: build it with the same layers, then <c>KerasWeights.Load(model, "model.weights.h5")</c>. Both Keras layouts are
/// read (<see cref="KerasWeightFormat"/>; a full-model legacy .h5 with <c>model_weights</c> too). Layers with weights are
/// matched in order (Keras 3 numbers them per class: conv2d, conv2d_1, …; legacy files list them); each layer's weights are
/// in Keras's order, which is Trilobite's (kernel, bias; gamma, beta, moving mean, moving variance). A file whose layers or
/// shapes do not fit is an <see cref="InvalidDataException"/> naming the file, the layer and both shapes, and nothing is
/// changed: every value is checked before the first is set. (Keras itself is not installable here: the tests write their
/// files with h5py, following Keras's layouts.)
/// </summary>
public static class KerasWeights
{
    /// <summary>Sets <paramref name="model"/>'s weights from the Keras file at <paramref name="path"/>; returns the format found.</summary>
    public static KerasWeightFormat Load(Model model, string path)
    {
        ArgumentNullException.ThrowIfNull(model);
        if (!File.Exists(path)) throw new FileNotFoundException($"Keras weight file '{path}' does not exist.", path);
        try
        {
            using var file = H5File.OpenRead(path);
            var (format, values) = file.LinkExists("layers") ? (KerasWeightFormat.Keras3, Keras3Layout.Read(file, model, path))
                : LegacyLayout.Root(file) is { } root ? (KerasWeightFormat.Legacy, LegacyLayout.Read(root, model, path))
                : throw new InvalidDataException($"{path}: neither a Keras 3 .weights.h5 (no 'layers' group) nor a legacy Keras .h5 (no 'layer_names' attribute).");
            foreach (var (layer, weights) in values) layer.SetWeights(weights);
            return format;
        }
        catch (Exception e) when (e is not (InvalidDataException or FileNotFoundException or OutOfMemoryException))
        {
            // PureHDF reports a damaged file with plain Exceptions (and whatever its parser hits): all of them mean the same to a caller.
            throw new InvalidDataException($"{path}: not a readable HDF5 weight file ({e.Message.TrimEnd('.')}).", e);
        }
    }

    /// <summary>Writes <paramref name="model"/>'s weights in <paramref name="format"/> to <paramref name="path"/>, atomically.</summary>
    public static void Save(Model model, string path, KerasWeightFormat format = KerasWeightFormat.Keras3)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentException.ThrowIfNullOrEmpty(path);
        var file = format == KerasWeightFormat.Keras3 ? Keras3Layout.Build(model) : LegacyLayout.Build(model);
        using var buffer = new MemoryStream();   // PureHDF seeks back while writing; the atomic file is write-only
        file.Write(buffer);
        Trilobite.Serialization.AtomicFile.Write(path, stream => buffer.WriteTo(stream));
    }

    /// <summary>The layers of <paramref name="model"/> that hold weights, nested models flattened, in execution order.</summary>
    internal static IEnumerable<Layer> WeightedLayers(Model model) =>
        model.Layers.Where(l => l is not InputLayer && l != model)
            .SelectMany(l => l is Model inner ? WeightedLayers(inner) : l.Weights.Count > 0 ? [l] : []);

    /// <summary>Checks a dataset's shape against the weight it is for and reads it as floats (never more than the weight holds).</summary>
    internal static float[] ReadWeight(IH5Dataset dataset, Weight weight, string where)
    {
        ulong[] dims = dataset.Space.Dimensions;
        if (!dims.Select(d => (long)d).SequenceEqual(weight.Shape.Select(d => (long)d)))
            throw new InvalidDataException($"{where}: layer '{weight.Owner.Name}' weight '{weight.Name}' has shape {ShapeText.Of(weight.Shape)} in the model, but ({string.Join(", ", dims)}) in the file.");
        if (dataset.Type.Class != H5DataTypeClass.FloatingPoint)
            throw new InvalidDataException($"{where}: layer '{weight.Owner.Name}' weight '{weight.Name}' is stored as {dataset.Type.Class}, not floating point.");
        return dataset.Type.Size == 8 ? [.. dataset.Read<double[]>().Select(v => (float)v)] : dataset.Read<float[]>();
    }

    /// <summary>A dataset holding one weight's values in their shape.</summary>
    internal static H5Dataset Dataset(Weight weight) => new(weight.Value.ToArray(), fileDims: [.. weight.Shape.Select(d => (ulong)d)]);
}
