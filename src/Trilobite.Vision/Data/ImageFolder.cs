using Trilobite.Vision.Imaging;

namespace Trilobite.Vision.Data;

/// <summary>
/// A folder of labelled images, one subfolder per class, like Keras's <c>image_dataset_from_directory</c>:
/// classes are the subfolder names in ordinal order (index = label), files are split by a seeded shuffle into
/// training and validation, and both are streamed as batches decoded by background workers.
/// <code>
/// var flowers = ImageFolder.Open("flowers17", new ImageFolderOptions
///     { Height = 224, Width = 224, ValidationSplit = 0.1, Seed = 1, Augmentation = ImageAugmentation.Default });
/// model.Fit(flowers.Training, new FitOptions { Epochs = 10 }, flowers.Validation);
/// </code>
/// Files in a class folder that are not images (wrong extension or unknown header) are found when the folder is
/// opened; files that pass that check but fail to decode are found when their batch is decoded. Either way,
/// <see cref="BadFilePolicy.SkipWithWarning"/> leaves the file out with one warning naming it, and
/// <see cref="BadFilePolicy.Fail"/> throws an <see cref="InvalidDataException"/> naming it. Files directly in the
/// root folder and hidden files (".name") are ignored.
/// </summary>
public sealed class ImageFolder
{
    private readonly ImageFolderOptions _options;
    private readonly BadFiles _badFiles;

    private ImageFolder(string directory, IReadOnlyList<string> classNames, IReadOnlyList<ImageEntry> files, ImageFolderOptions options, BadFiles badFiles)
    {
        Directory = directory;
        ClassNames = classNames;
        Files = files;
        _options = options;
        _badFiles = badFiles;
        var order = Enumerable.Range(0, files.Count).ToArray();
        new Random(options.Seed).Shuffle(order);
        int held = (int)(options.ValidationSplit * files.Count);
        var training = order[..(files.Count - held)].Select(i => files[i]).ToList();
        var validation = order[(files.Count - held)..].Select(i => files[i]).ToList();
        Training = new ImageBatchSource(training, this, options.Shuffle, options.Augmentation, badFiles);
        Validation = held > 0 ? new ImageBatchSource(validation, this, shuffle: false, augmentation: null, badFiles) : null;
    }

    /// <summary>Lists the class folders of <paramref name="directory"/> and checks each file's header.</summary>
    /// <exception cref="DirectoryNotFoundException">The folder does not exist.</exception>
    /// <exception cref="InvalidDataException">No class subfolders or no images; or, with <see cref="BadFilePolicy.Fail"/>, a file that is not an image.</exception>
    public static ImageFolder Open(string directory, ImageFolderOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(directory);
        options ??= new ImageFolderOptions();
        options.Validate();
        if (!System.IO.Directory.Exists(directory))
            throw new DirectoryNotFoundException($"{directory}: image folder not found (expected one subfolder of images per class).");
        var classDirs = new DirectoryInfo(directory).GetDirectories().Where(d => !d.Name.StartsWith('.'))
            .OrderBy(d => d.Name, StringComparer.Ordinal).ToList();
        if (classDirs.Count == 0)
            throw new InvalidDataException($"{directory}: no class subfolders (expected one subfolder of images per class, e.g. {directory}/cat/1.jpg).");
        var badFiles = new BadFiles(options);
        var files = new List<ImageEntry>();
        for (int label = 0; label < classDirs.Count; label++)
            foreach (var file in classDirs[label].EnumerateFiles("*", SearchOption.AllDirectories)
                         .Where(f => !f.Name.StartsWith('.')).OrderBy(f => f.FullName, StringComparer.Ordinal))
            {
                string? why = Check(file, options);
                if (why == null) files.Add(new ImageEntry(file.FullName, label));
                else badFiles.Report(file.FullName, why);
            }
        if (files.Count == 0)
            throw new InvalidDataException($"{directory}: no images found in its {classDirs.Count} class folder(s) ({string.Join(", ", options.Extensions)}).");
        var perClass = new int[classDirs.Count];
        foreach (var file in files) perClass[file.Label]++;
        var warnings = options.Warnings ?? Console.Error;
        for (int label = 0; label < classDirs.Count; label++)
            if (perClass[label] == 0)
                warnings.WriteLine($"Warning: {classDirs[label].FullName} holds no images: class '{classDirs[label].Name}' will never be seen.");
        return new ImageFolder(directory, classDirs.Select(d => d.Name).ToList(), files, options, badFiles);
    }

    /// <summary>The root folder as given to <see cref="Open"/>.</summary>
    public string Directory { get; }

    /// <summary>Class names by label: the subfolder names, sorted ordinally.</summary>
    public IReadOnlyList<string> ClassNames { get; }

    /// <summary>Every image file found (path and label), before the split, in class then path order.</summary>
    public IReadOnlyList<ImageEntry> Files { get; }

    /// <summary>The training part: shuffled each epoch and augmented when the options say so.</summary>
    public ImageBatchSource Training { get; }

    /// <summary>The validation part (in a fixed order, never augmented), or null when ValidationSplit is 0.</summary>
    public ImageBatchSource? Validation { get; }

    /// <summary>Files left out so far (path and reason), both at listing and at decoding.</summary>
    public IReadOnlyCollection<KeyValuePair<string, string>> SkippedFiles => _badFiles.Skipped;

    /// <summary>One sample's shape: (height, width, channels).</summary>
    public int[] ImageShape => [_options.Height, _options.Width, _options.ColorMode == ColorMode.Grayscale ? 1 : 3];

    internal ImageFolderOptions Options => _options;

    /// <summary>Null when the file looks like an image (known extension, decodable header), else why not.</summary>
    private static string? Check(FileInfo file, ImageFolderOptions options)
    {
        if (!options.Extensions.Contains(file.Extension, StringComparer.OrdinalIgnoreCase))
            return $"not an image file (extension '{file.Extension}'; expected {string.Join(", ", options.Extensions)})";
        try
        {
            using var stream = file.OpenRead();
            return ImageHeader.Read(stream) is null ? "not a PNG, JPEG, BMP or GIF image (unknown header)" : null;
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            return $"cannot read it ({ErrorText.Of(e)})";
        }
    }
}

/// <summary>One image file and its class label.</summary>
public readonly record struct ImageEntry(string Path, int Label);
