using Trilobite.Data;

namespace Trilobite.Cli.Commands;

/// <summary>Loads training and test data: the shipped MNIST sample by default, or a folder with the four IDX files.</summary>
internal static class DataOptions
{
    public static (Dataset Train, Dataset Test) Load(string? directory)
    {
        if (directory == null)
        {
            var (train, test) = Mnist.LoadSample();
            return (train.ToDataset(), test.ToDataset());
        }
        if (!Directory.Exists(directory))
            throw new DirectoryNotFoundException($"{directory}: data folder not found (expected train-images-idx3-ubyte[.gz], train-labels-idx1-ubyte[.gz], t10k-images-idx3-ubyte[.gz], t10k-labels-idx1-ubyte[.gz]).");
        bool fashion = Path.GetFileName(Path.GetFullPath(directory).TrimEnd('/')).Contains("fashion", StringComparison.OrdinalIgnoreCase);
        var (trainImages, testImages) = fashion ? FashionMnist.Load(directory) : Mnist.Load(directory);
        return (trainImages.ToDataset(), testImages.ToDataset());
    }
}
