using Trilobite.Layers;

namespace Trilobite.Tests.Models;

public class ModelGraphTests
{
    [Fact]
    public void ReusingATrainedModelInANewModelKeepsItsWeights()
    {
        var pretrained = new Sequential(new Dense(4, inputShape: [3]), new Dense(4));
        foreach (var w in pretrained.Weights) w.Assign(Enumerable.Repeat(0.5f, w.Size).ToArray());
        var input = Input.Of([3]);
        var transfer = new Model(input, new Dense(2, activation: Activation.Softmax).Call(pretrained.Call(input)));
        foreach (var w in pretrained.Weights) Assert.All(w.Value.ToArray(), v => Assert.Equal(0.5f, v));
        Assert.Equal(pretrained.ParameterCount + 10, transfer.ParameterCount);

        var reused = pretrained.Stack[0];
        var second = new Model(input, new Dense(1).Call(reused.Call(input)));
        Assert.All(reused.Weights[0].Value.ToArray(), v => Assert.Equal(0.5f, v));
        Assert.Equal(reused.ParameterCount + 5, second.ParameterCount);
    }

    [Fact]
    public void SequentialBuiltLayerByLayerEqualsOneBuiltAtOnce()
    {
        RandomSeed.Set(4);
        var atOnce = new Sequential(new Dense(8, inputShape: [3]), new Dense(5), new Dense(2));
        RandomSeed.Set(4);
        var stepwise = new Sequential(new Dense(8, inputShape: [3]));
        stepwise.Add(new Dense(5));
        stepwise.Add(new Dense(2));
        Assert.Equal(atOnce.SummaryText(), stepwise.SummaryText());
        for (int i = 0; i < atOnce.Weights.Count; i++) Assert.Equal(atOnce.Weights[i].Value.ToArray(), stepwise.Weights[i].Value.ToArray());
    }

    [Fact]
    public void FrozenLayersAreCountedAsNonTrainableAndNotUpdated()
    {
        var model = new Sequential(new Dense(4, inputShape: [3]), new Dense(2, activation: Activation.Softmax));
        model.Stack[0].Trainable = false;
        Assert.Contains("Non-trainable params: 16", model.SummaryText());
        var before = model.Stack[0].GetWeights();
        model.Compile(Loss.CategoricalCrossentropy, new Adam(0.1));
        model.Fit(Tensor.Uniform([8, 3], -1, 1, 1), Tensor.Full([8, 2], 0.5f), batchSize: 4, epochs: 2, verbose: 0);
        Assert.Equal(before, model.Stack[0].GetWeights());
        Assert.NotEqual(0, model.Stack[1].GetWeights()[1].Sum(v => Math.Abs(v)));
    }
}
