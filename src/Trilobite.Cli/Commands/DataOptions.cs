using Trilobite.Data;

namespace Trilobite.Cli.Commands;

/// <summary>
/// Where training data comes from: the shipped MNIST sample by default; a folder with the four IDX files (MNIST or
/// Fashion-MNIST); or a folder of class subfolders holding images (the image pipeline, see <see cref="ImageTraining"/>).
/// </summary>
internal static class DataOptions
{
    private static readonly string[] IdxFiles = ["train-images-idx3-ubyte", "train-labels-idx1-ubyte", "t10k-images-idx3-ubyte", "t10k-labels-idx1-ubyte"];

    /// <summary>True for a folder with subfolders and none of the IDX files: one subfolder of images per class.</summary>
    public static bool IsImageFolder(string? directory) =>
        directory != null && Directory.Exists(directory)
        && Directory.EnumerateDirectories(directory).Any(d => !Path.GetFileName(d).StartsWith('.'))
        && !IdxFiles.Any(f => File.Exists(Path.Combine(directory, f)) || File.Exists(Path.Combine(directory, f + ".gz")));

    public static (Dataset Train, Dataset Test) Load(string? directory)
    {
        if (directory == null)
        {
            var (train, test) = Mnist.LoadSample();
            return (train.ToDataset(), test.ToDataset());
        }
        if (!Directory.Exists(directory))
            throw new DirectoryNotFoundException($"{directory}: data folder not found (expected train-images-idx3-ubyte[.gz], train-labels-idx1-ubyte[.gz], t10k-images-idx3-ubyte[.gz], t10k-labels-idx1-ubyte[.gz], or one subfolder of images per class).");
        if (!Directory.EnumerateFileSystemEntries(directory).Any())
            throw new InvalidDataException($"{directory}: the data folder is empty (expected the four MNIST-format IDX files, or one subfolder of images per class).");
        bool fashion = Path.GetFileName(Path.GetFullPath(directory).TrimEnd('/')).Contains("fashion", StringComparison.OrdinalIgnoreCase);
        var (trainImages, testImages) = fashion ? FashionMnist.Load(directory) : Mnist.Load(directory);
        return (trainImages.ToDataset(), testImages.ToDataset());
    }
}
