using System.Diagnostics;
using Trilobite.Zoo;

namespace Trilobite.Tests.Zoo;

/// <summary>Small zoo models run a forward pass end to end (building any model draws no weights: they are drawn on first use).</summary>
public class ZooBuildTimeTests
{
    [Fact]
    public void SmallModelsRunAForwardPass()
    {
        var lenet = LeNet5.Build();
        Assert.Equal([3, 10], lenet.Predict(Tensor.Zeros([3, 32, 32, 1])).ShapeArray);
        var small = SmallResNet.Build([28, 28, 1]);
        var p = small.Predict(Tensor.Uniform([2, 28, 28, 1], 0, 1, 1)).ToArray();
        Assert.Equal(1.0, p.Take(10).Sum(), 3);
    }
}
