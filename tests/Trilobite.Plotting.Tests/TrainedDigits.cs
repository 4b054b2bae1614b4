using Trilobite.Data;
using Trilobite.Zoo;

namespace Trilobite.Plotting.Tests;

/// <summary>
/// Real data for the pictures: the lecture's LeNet trained for three epochs on 2,000 digits of the shipped sample, with
/// its history, validated on 500 other training digits, and the 1,505 test digits. Trained once for all the tests.
/// </summary>
public sealed class TrainedDigits
{
    public TrainedDigits()
    {
        var (trainImages, testImages) = Mnist.LoadSample();
        var all = trainImages.ToDataset();
        Train = new Dataset(all.X.Slice(0, 2000), all.Y.Slice(0, 2000));
        Validation = new Dataset(all.X.Slice(2000, 500), all.Y.Slice(2000, 500));
        Test = testImages.ToDataset();
        RandomSeed.Set(3);
        Model = LeNetKeras.Build();
        Model.Compile(Loss.CategoricalCrossentropy, new Adam(), [Metric.Accuracy]);
        History = Model.Fit(Train.X, Train.Y, new FitOptions { BatchSize = 32, Epochs = 3, Verbose = 0, ValidationData = Validation });
    }

    public Dataset Train { get; }
    public Dataset Validation { get; }
    public Dataset Test { get; }
    public Model Model { get; }
    public History History { get; }
}

[CollectionDefinition(Name)]
public sealed class TrainedDigitsCollection : ICollectionFixture<TrainedDigits>
{
    public const string Name = "trained digits";
}
