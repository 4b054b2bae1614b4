using System.IO.Compression;
using Trilobite.Data;
using static Trilobite.Tests.Data.IdxFiles;

namespace Trilobite.Tests.Data;

public class MnistTests
{
    static readonly string[] FileNames =
        ["train-images-idx3-ubyte", "train-labels-idx1-ubyte", "t10k-images-idx3-ubyte", "t10k-labels-idx1-ubyte"];

    [Fact]
    public void SampleHas8495TrainAnd1505TestDigits()
    {
        var (train, test) = Mnist.LoadSample();
        Assert.Equal(8495, train.Count);
        Assert.Equal(1505, test.Count);
        foreach (var set in new[] { train, test })
        {
            Assert.Equal((28, 28, 1), (set.Height, set.Width, set.Channels));
            Assert.Equal(set.Count * 28 * 28, set.Pixels.Length);
            Assert.Equal(10, set.ClassCount);
            Assert.Equal(Enumerable.Range(0, 10), set.Labels.Distinct().Order());
            Assert.All(set.Pixels, p => Assert.InRange(p, 0f, 1f));
            Assert.Equal(1f, set.Pixels.Max());
        }
        Assert.Equal([1, 7, 3, 6, 0, 2, 4, 9, 8, 5, 1, 7, 3, 6, 0, 2, 4, 9, 8, 5], train.Labels[..20]);
        Assert.Equal(957, train.Labels.Count(l => l == 1)); // README's per-digit counts
        Assert.Equal(130, test.Labels.Count(l => l == 5));
        Assert.Equal(["0", "1", "2", "3", "4", "5", "6", "7", "8", "9"], Mnist.ClassNames);
        Assert.Equal([28, 28, 1], train.ImageShape);
    }

    [Fact]
    public void SampleUnscaledKeepsBytes()
    {
        var (train, _) = Mnist.LoadSample(scale: false);
        Assert.Equal(255f, train.Pixels.Max());
        Assert.All(train.Pixels.Take(5000), p => Assert.Equal(MathF.Round(p), p));
    }

    [Fact]
    public void LoadReadsTheShippedFilesGzippedOrDecompressed()
    {
        var (sampleTrain, sampleTest) = Mnist.LoadSample();
        string shipped = TestData.InRepo("data/mnist-sample");
        var (train, test) = Mnist.Load(shipped);
        Assert.Equal(sampleTrain.Pixels, train.Pixels);
        Assert.Equal(sampleTest.Labels, test.Labels);

        string raw = TestData.NewTempDirectory();
        foreach (string name in FileNames)
        {
            using var gz = new GZipStream(File.OpenRead(Path.Combine(shipped, name + ".gz")), CompressionMode.Decompress);
            using var output = File.Create(Path.Combine(raw, name));
            gz.CopyTo(output);
        }
        var (rawTrain, rawTest) = Mnist.Load(raw);
        Assert.Equal(sampleTrain.Labels, rawTrain.Labels);
        Assert.Equal(sampleTest.Pixels, rawTest.Pixels);
    }

    [Fact]
    public void MissingFolderNamesThePathAndTheExpectedFiles()
    {
        string dir = Path.Combine(TestData.NewTempDirectory(), "absent");
        var e = Assert.Throws<DirectoryNotFoundException>(() => Mnist.Load(dir));
        Assert.Contains(dir, e.Message);
        Assert.All(FileNames, n => Assert.Contains(n + ".gz", e.Message));
    }

    [Fact]
    public void MissingFileNamesWhatIsMissing()
    {
        string dir = TestData.NewTempDirectory();
        Write(dir, "train-images-idx3-ubyte.gz", Gzip(Images(2, 28, 28)));
        Write(dir, "train-labels-idx1-ubyte", Labels(1, 2));
        var e = Assert.Throws<FileNotFoundException>(() => FashionMnist.Load(dir));
        Assert.Contains($"{dir} lacks t10k-images-idx3-ubyte.gz, t10k-labels-idx1-ubyte.gz", e.Message);
        Assert.Contains("(of the four IDX files train-images-idx3-ubyte.gz, train-labels-idx1-ubyte.gz, t10k-images-idx3-ubyte.gz, t10k-labels-idx1-ubyte.gz; each may also be stored without .gz).", e.Message);
        Assert.DoesNotContain(Environment.NewLine, e.Message);   // one line, as every error the CLI prints
    }

    [Fact]
    public void ImagesAndLabelsMustAgree()
    {
        string dir = TestData.NewTempDirectory();
        Write(dir, "train-images-idx3-ubyte", Images(3, 4, 4));
        Write(dir, "train-labels-idx1-ubyte", Labels(1, 2));
        Write(dir, "t10k-images-idx3-ubyte", Images(1, 4, 4));
        Write(dir, "t10k-labels-idx1-ubyte", Labels(1));
        var e = Assert.Throws<InvalidDataException>(() => Mnist.Load(dir));
        Assert.Contains("has 2 labels but", e.Message);
        Assert.Contains("has 3 images", e.Message);

        Write(dir, "train-labels-idx1-ubyte", Labels(1, 2, 12));
        e = Assert.Throws<InvalidDataException>(() => Mnist.Load(dir));
        Assert.Contains("label 2 is 12, but MNIST has 10 classes", e.Message);

        Write(dir, "train-labels-idx1-ubyte", Labels(1, 2, 9));
        var (train, test) = Mnist.Load(dir);
        Assert.Equal((3, 4, 4), (train.Count, train.Height, train.Width));
        Assert.Equal(1, test.Count);
    }

    [SharedDataFact("fashion-mnist")]
    public void FashionMnistHas60000TrainAnd10000Test()
    {
        var (train, test) = FashionMnist.Load(TestData.SharedData("fashion-mnist")!);
        Assert.Equal(60000, train.Count);
        Assert.Equal(10000, test.Count);
        Assert.Equal(60000 * 784, train.Pixels.Length);
        Assert.Equal((28, 28, 1), (test.Height, test.Width, test.Channels));
        Assert.All(Enumerable.Range(0, 10), c => Assert.Equal(6000, train.Labels.Count(l => l == c)));
        Assert.All(Enumerable.Range(0, 10), c => Assert.Equal(1000, test.Labels.Count(l => l == c)));
        Assert.Equal("Ankle boot", train.ClassNames[9]);
        Assert.Equal("T-shirt/top", FashionMnist.ClassNames[0]);
        Assert.InRange(train.Pixels.Max(), 0.99f, 1f);
    }
}
