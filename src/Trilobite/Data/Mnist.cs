namespace Trilobite.Data;

/// <summary>
/// The MNIST handwritten digits: 28×28 grey images, labels 0–9.
/// </summary>
/// <remarks>
/// A 10,000-image sample ships inside the library (8,495 train / 1,505 test, stratified; it is
/// drawn from MNIST's training set, so its test split is not the official test set). The full
/// 60,000 / 10,000 set is read from a folder or downloaded once into a cache.
/// <code>
/// var (train, test) = Mnist.LoadSample();                  // no files needed
/// var (fullTrain, fullTest) = Mnist.Load(Mnist.Download()); // ~11 MB, once, SHA-256 checked
/// </code>
/// </remarks>
public static class Mnist
{
    const string SamplePrefix = "Trilobite.Data.mnist-sample.";

    /// <summary>The class names: the digits <c>"0"</c> to <c>"9"</c>.</summary>
    public static IReadOnlyList<string> ClassNames => DatasetSpec.Mnist.ClassNames;

    /// <summary>
    /// Loads the MNIST sample embedded in the library: 8,495 training and 1,505 test images,
    /// 28×28×1, all ten digits in both.
    /// </summary>
    /// <param name="scale">Scale pixels to [0, 1] (default); otherwise keep 0–255.</param>
    public static (LabeledImages Train, LabeledImages Test) LoadSample(bool scale = true) =>
        IdxDatasetLoader.LoadEmbedded(DatasetSpec.Mnist, SamplePrefix, scale);

    /// <summary>
    /// Loads MNIST from a folder holding the four standard IDX files
    /// (<c>train-images-idx3-ubyte</c>, <c>train-labels-idx1-ubyte</c>, <c>t10k-images-idx3-ubyte</c>,
    /// <c>t10k-labels-idx1-ubyte</c>, each gzipped with <c>.gz</c> or not).
    /// </summary>
    /// <param name="directory">The folder.</param>
    /// <param name="scale">Scale pixels to [0, 1] (default); otherwise keep 0–255.</param>
    /// <exception cref="DirectoryNotFoundException">The folder does not exist.</exception>
    /// <exception cref="FileNotFoundException">One of the four files is missing.</exception>
    /// <exception cref="InvalidDataException">A file is malformed, or images and labels disagree.</exception>
    public static (LabeledImages Train, LabeledImages Test) Load(string directory, bool scale = true) =>
        IdxDatasetLoader.LoadFolder(DatasetSpec.Mnist, directory, scale);

    /// <summary>
    /// Makes sure the full MNIST files are in the cache folder, downloading over HTTPS what is
    /// missing or fails its SHA-256 check, and returns the folder (pass it to <see cref="Load"/>).
    /// </summary>
    /// <param name="directory">Where the files go. Default: <c>$TRILOBITE_DATA/mnist</c> when that
    /// variable is set, else <c>~/.trilobite/datasets/mnist</c>.</param>
    /// <exception cref="IOException">A file could not be downloaded; the message says from where and
    /// where to put the files by hand.</exception>
    /// <exception cref="InvalidDataException">A download did not match its checksum.</exception>
    public static string Download(string? directory = null) =>
        new DatasetDownloader().Ensure(DatasetSpec.Mnist, DatasetDownloader.ResolveDirectory(DatasetSpec.Mnist, directory));
}
