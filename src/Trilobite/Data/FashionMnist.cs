namespace Trilobite.Data;

/// <summary>
/// Fashion-MNIST (Zalando Research): 28×28 grey images of clothing in 10 classes,
/// 60,000 for training and 10,000 for testing, in MNIST's IDX format.
/// </summary>
/// <remarks>
/// <code>
/// var (train, test) = FashionMnist.Load(FashionMnist.Download()); // ~30 MB, once, SHA-256 checked
/// Console.WriteLine(train.ClassNames[train.Labels[0]]);           // "Ankle boot"
/// </code>
/// </remarks>
public static class FashionMnist
{
    /// <summary>The class names by label: T-shirt/top, Trouser, Pullover, Dress, Coat, Sandal,
    /// Shirt, Sneaker, Bag, Ankle boot.</summary>
    public static IReadOnlyList<string> ClassNames => DatasetSpec.FashionMnist.ClassNames;

    /// <summary>
    /// Loads Fashion-MNIST from a folder holding the four standard IDX files
    /// (<c>train-images-idx3-ubyte</c>, <c>train-labels-idx1-ubyte</c>, <c>t10k-images-idx3-ubyte</c>,
    /// <c>t10k-labels-idx1-ubyte</c>, each gzipped with <c>.gz</c> or not).
    /// </summary>
    /// <param name="directory">The folder.</param>
    /// <param name="scale">Scale pixels to [0, 1] (default); otherwise keep 0–255.</param>
    /// <exception cref="DirectoryNotFoundException">The folder does not exist.</exception>
    /// <exception cref="FileNotFoundException">One of the four files is missing.</exception>
    /// <exception cref="InvalidDataException">A file is malformed, or images and labels disagree.</exception>
    public static (LabeledImages Train, LabeledImages Test) Load(string directory, bool scale = true) =>
        IdxDatasetLoader.LoadFolder(DatasetSpec.FashionMnist, directory, scale);

    /// <summary>
    /// Makes sure the Fashion-MNIST files are in the cache folder, downloading over HTTPS what
    /// is missing or fails its SHA-256 check, and returns the folder (pass it to <see cref="Load"/>).
    /// </summary>
    /// <param name="directory">Where the files go. Default: <c>$TRILOBITE_DATA/fashion-mnist</c> when
    /// that variable is set, else <c>~/.trilobite/datasets/fashion-mnist</c>.</param>
    /// <exception cref="IOException">A file could not be downloaded; the message says from where and
    /// where to put the files by hand.</exception>
    /// <exception cref="InvalidDataException">A download did not match its checksum.</exception>
    public static string Download(string? directory = null) =>
        new DatasetDownloader().Ensure(DatasetSpec.FashionMnist, DatasetDownloader.ResolveDirectory(DatasetSpec.FashionMnist, directory));
}
