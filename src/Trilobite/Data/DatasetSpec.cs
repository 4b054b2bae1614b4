namespace Trilobite.Data;

/// <summary>One file of a dataset: its standard name and the checksums that vouch for it.</summary>
/// <param name="Name">Standard name without <c>.gz</c>, e.g. <c>train-images-idx3-ubyte</c>.</param>
/// <param name="CompressedSize">Size in bytes of the official <c>.gz</c> download.</param>
/// <param name="CompressedSha256">SHA-256 of the official <c>.gz</c> file (lower-case hex).</param>
/// <param name="ContentSha256">SHA-256 of the decompressed IDX file. It also accepts a copy whose gzip
/// header was rewritten (as Debian's Fashion-MNIST package does) or a file stored decompressed.</param>
internal sealed record DatasetFile(string Name, long CompressedSize, string CompressedSha256, string ContentSha256)
{
    public string GzName => Name + ".gz";
}

/// <summary>
/// Everything the loaders and the downloader know about an IDX dataset of four files: where it
/// is published, what its files are called and their checksums, and the class names.
/// </summary>
/// <param name="Name">Folder name in the cache, e.g. <c>fashion-mnist</c>.</param>
/// <param name="DisplayName">Name in messages, e.g. <c>Fashion-MNIST</c>.</param>
/// <param name="Mirrors">HTTPS base URLs, tried in order; a file's URL is base + its <c>.gz</c> name.</param>
/// <param name="ClassNames">One name per label value.</param>
/// <param name="TrainImages">Training images.</param>
/// <param name="TrainLabels">Training labels.</param>
/// <param name="TestImages">Test images.</param>
/// <param name="TestLabels">Test labels.</param>
internal sealed record DatasetSpec(
    string Name,
    string DisplayName,
    string[] Mirrors,
    string[] ClassNames,
    DatasetFile TrainImages,
    DatasetFile TrainLabels,
    DatasetFile TestImages,
    DatasetFile TestLabels)
{
    public DatasetFile[] Files => [TrainImages, TrainLabels, TestImages, TestLabels];

    /// <summary>The four expected file names on one line, for error messages.</summary>
    public string FileNames() => string.Join(", ", Files.Select(f => f.GzName));

    public static readonly string[] DigitNames = ["0", "1", "2", "3", "4", "5", "6", "7", "8", "9"];

    /// <summary>
    /// MNIST (LeCun, Cortes, Burges). Checksums are the published ones for the official files,
    /// served byte-identical by the PyTorch and TensorFlow mirrors (yann.lecun.com itself now
    /// refuses most downloads).
    /// </summary>
    public static readonly DatasetSpec Mnist = new(
        "mnist", "MNIST",
        ["https://ossci-datasets.s3.amazonaws.com/mnist/", "https://storage.googleapis.com/cvdf-datasets/mnist/"],
        DigitNames,
        new("train-images-idx3-ubyte", 9_912_422,
            "440fcabf73cc546fa21475e81ea370265605f56be210a4024d2ca8f203523609",
            "ba891046e6505d7aadcbbe25680a0738ad16aec93bde7f9b65e87a2fc25776db"),
        new("train-labels-idx1-ubyte", 28_881,
            "3552534a0a558bbed6aed32b30c495cca23d567ec52cac8be1a0730e8010255c",
            "65a50cbbf4e906d70832878ad85ccda5333a97f0f4c3dd2ef09a8a9eef7101c5"),
        new("t10k-images-idx3-ubyte", 1_648_877,
            "8d422c7b0a1c1c79245a5bcf07fe86e33eeafee792b84584aec276f5a2dbc4e6",
            "0fa7898d509279e482958e8ce81c8e77db3f2f8254e26661ceb7762c4d494ce7"),
        new("t10k-labels-idx1-ubyte", 4_542,
            "f7ae60f92e00ec6debd23a6088c31dbd2371eca3ffa0defaefb259924204aec6",
            "ff7bcfd416de33731a308c3f266cc351222c34898ecbeaf847f06e48f7ec33f2"));

    /// <summary>
    /// Fashion-MNIST (Zalando Research, MIT licence). The .gz checksums are upstream's; they were
    /// checked here by restoring upstream's gzip headers on Debian's copies (which reproduces
    /// upstream's published MD5s). The content checksums are of the decompressed files.
    /// </summary>
    public static readonly DatasetSpec FashionMnist = new(
        "fashion-mnist", "Fashion-MNIST",
        ["https://raw.githubusercontent.com/zalandoresearch/fashion-mnist/master/data/fashion/",
         "https://storage.googleapis.com/tensorflow/tf-keras-datasets/"],
        ["T-shirt/top", "Trouser", "Pullover", "Dress", "Coat", "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot"],
        new("train-images-idx3-ubyte", 26_421_880,
            "3aede38d61863908ad78613f6a32ed271626dd12800ba2636569512369268a84",
            "c59f468a2f672dc815687fe0f83887768d799fd8a3f3276145d20f83aa44d888"),
        new("train-labels-idx1-ubyte", 29_515,
            "a04f17134ac03560a47e3764e11b92fc97de4d1bfaf8ba1a3aa29af54cc90845",
            "bad3541b69d912435c50bb6ba87bec294ff4f6a2e1246121d8633921760443d9"),
        new("t10k-images-idx3-ubyte", 4_422_102,
            "346e55b948d973a97e58d2351dde16a484bd415d4595297633bb08f03db6a073",
            "5b4141f0afbad91edebe8549f8fcffe087ea10ca49f1dbef5c9a5cd8815ce37b"),
        new("t10k-labels-idx1-ubyte", 5_148,
            "67da17c76eaffca5446c3361aaab5c3cd6d1c2608764d35dfb1850b086bf8dd5",
            "0402a96d92fd2663957122ceb108a494c5af83dab82d92729df917d7dec38c34"));
}
