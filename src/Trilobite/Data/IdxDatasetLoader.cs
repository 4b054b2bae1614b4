namespace Trilobite.Data;

/// <summary>
/// Loads a dataset made of the four standard IDX files (train/t10k × images/labels) into
/// <see cref="LabeledImages"/>, from a folder or from the assembly's embedded resources.
/// </summary>
internal static class IdxDatasetLoader
{
    /// <summary>Reads <c>dir</c>'s four IDX files (gzip or raw, <c>.gz</c> preferred when both exist).</summary>
    public static (LabeledImages Train, LabeledImages Test) LoadFolder(DatasetSpec spec, string dir, bool scale)
    {
        ArgumentException.ThrowIfNullOrEmpty(dir);
        string full = Path.GetFullPath(dir);
        if (!Directory.Exists(full))
            throw new DirectoryNotFoundException(
                $"{spec.DisplayName}: folder not found: {full} (it should hold {spec.FileNames()}).");

        var paths = spec.Files.Select(f => FindFile(full, f)).ToArray();
        var missing = spec.Files.Where((f, i) => paths[i] is null).Select(f => f.GzName).ToArray();
        if (missing.Length > 0)
            throw new FileNotFoundException(
                $"{spec.DisplayName}: {full} lacks {string.Join(", ", missing)} (of the four IDX files {spec.FileNames()}; each may also be stored without .gz).",
                Path.Combine(full, missing[0]));

        var train = Pair(spec, IdxReader.ReadImages(paths[0]!), paths[0]!, IdxReader.ReadLabels(paths[1]!), paths[1]!, scale);
        var test = Pair(spec, IdxReader.ReadImages(paths[2]!), paths[2]!, IdxReader.ReadLabels(paths[3]!), paths[3]!, scale);
        return (train, test);
    }

    /// <summary>The path of <paramref name="file"/> in <paramref name="dir"/>: <c>name.gz</c>, else <c>name</c>, else null.</summary>
    public static string? FindFile(string dir, DatasetFile file)
    {
        string gz = Path.Combine(dir, file.GzName);
        if (File.Exists(gz))
            return gz;
        string raw = Path.Combine(dir, file.Name);
        return File.Exists(raw) ? raw : null;
    }

    /// <summary>Reads the four files embedded as <c>{prefix}{name}.gz</c> in this assembly.</summary>
    public static (LabeledImages Train, LabeledImages Test) LoadEmbedded(DatasetSpec spec, string prefix, bool scale)
    {
        IdxArray Read(DatasetFile f)
        {
            string resource = prefix + f.GzName;
            using Stream stream = typeof(IdxDatasetLoader).Assembly.GetManifestResourceStream(resource)
                ?? throw new InvalidOperationException(
                    $"{spec.DisplayName}: embedded resource '{resource}' is missing: Trilobite was built without data/mnist-sample.");
            return IdxReader.Read(stream, resource);
        }
        var f = spec.Files;
        var train = Pair(spec, Read(f[0]), prefix + f[0].GzName, Read(f[1]), prefix + f[1].GzName, scale);
        var test = Pair(spec, Read(f[2]), prefix + f[2].GzName, Read(f[3]), prefix + f[3].GzName, scale);
        return (train, test);
    }

    /// <summary>Checks that images and labels belong together, then converts them.</summary>
    public static LabeledImages Pair(DatasetSpec spec, IdxArray images, string imagesName, IdxArray labels, string labelsName, bool scale)
    {
        if (images.Dimensions.Length != 3)
            throw new InvalidDataException($"{imagesName}: expected images (N×rows×cols), found shape {images.ShapeText}.");
        if (labels.Dimensions.Length != 1)
            throw new InvalidDataException($"{labelsName}: expected labels (N), found shape {labels.ShapeText}.");
        if (images.Count != labels.Count)
            throw new InvalidDataException(
                $"{labelsName}: has {labels.Count} labels but {imagesName} has {images.Count} images; they must match.");

        int classes = spec.ClassNames.Length;
        var y = new int[labels.Count];
        for (int i = 0; i < y.Length; i++)
        {
            y[i] = labels.Data[i];
            if (y[i] >= classes)
                throw new InvalidDataException($"{labelsName}: label {i} is {y[i]}, but {spec.DisplayName} has {classes} classes (0..{classes - 1}).");
        }
        float[] x = Preprocessing.ToFloats(images.Data, scale);
        return new LabeledImages(x, y, images.Dimensions[1], images.Dimensions[2], 1, spec.ClassNames);
    }
}
