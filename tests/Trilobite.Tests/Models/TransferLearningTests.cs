using Trilobite.Layers;

namespace Trilobite.Tests.Models;

/// <summary>Keras's transfer-learning workflow: freeze a pretrained base, train a new head, unfreeze the top to fine-tune; flags survive save/load.</summary>
public class TransferLearningTests
{
    private static Model Base()
    {
        var input = Input.Of([8, 8, 1]);
        var x = new Conv2D(4, 3, padding: Padding.Same, name: "conv_a").Call(input);
        x = new BatchNormalization(name: "bn_a").Call(x);
        x = new ActivationLayer(Activation.ReLU).Call(x);
        x = new Conv2D(6, 3, strides: 2, padding: Padding.Same, name: "conv_top").Call(x);
        return new Model(input, new GlobalAveragePooling2D(name: "pool").Call(x), "base");
    }

    private static (Model Model, Model Base) WithNewHead()
    {
        var pretrained = Base();
        pretrained.Trainable = false;
        var input = Input.Of([8, 8, 1]);
        var output = new Dense(2, activation: Activation.Softmax, name: "head").Call(pretrained.Call(input));
        var model = new Model(input, output, "transfer");
        model.Compile(Loss.CategoricalCrossentropy, new Adam(0.05));
        return (model, pretrained);
    }

    private static (Tensor X, Tensor Y) Batch()
    {
        var random = new Random(3);
        var x = Tensor.FromArray([.. Enumerable.Range(0, 16 * 64).Select(_ => (float)random.NextDouble())], 16, 8, 8, 1);
        var y = Tensor.FromArray([.. Enumerable.Range(0, 16).SelectMany(i => i % 2 == 0 ? new[] { 1f, 0f } : [0f, 1f])], 16, 2);
        return (x, y);
    }

    [Fact]
    public void A_frozen_base_keeps_its_weights_and_statistics_while_the_head_learns()
    {
        var (model, pretrained) = WithNewHead();
        var before = pretrained.Weights.Select(w => w.Value.ToArray()).ToList();
        var head = model.GetLayer("head").GetWeights()[0];
        var (x, y) = Batch();
        for (int i = 0; i < 3; i++) model.TrainOnBatch(x, y);
        var after = pretrained.Weights.Select(w => w.Value.ToArray()).ToList();
        for (int i = 0; i < before.Count; i++) Assert.Equal(before[i], after[i]);   // kernels, γ, β and the moving statistics
        Assert.NotEqual(head, model.GetLayer("head").GetWeights()[0]);
        Assert.All(pretrained.Weights, w => Assert.False(w.Value.RequiresGrad));   // backward stops at the head
    }

    [Fact]
    public void Summary_counts_frozen_weights_as_non_trainable()
    {
        var (model, _) = WithNewHead();
        string text = model.SummaryText();
        // base: conv_a 40, bn_a 16 (8 of them moving statistics), conv_top 222; head: 14.
        Assert.Contains("Total params: 292", text);
        Assert.Contains("Trainable params: 14", text);
        Assert.Contains("Non-trainable params: 278", text);
    }

    [Fact]
    public void Unfreezing_the_top_layer_fine_tunes_it_and_only_it()
    {
        var (model, pretrained) = WithNewHead();
        pretrained.GetLayer("conv_top").Trainable = true;
        var bottom = pretrained.GetLayer("conv_a").GetWeights()[0];
        var top = pretrained.GetLayer("conv_top").GetWeights()[0];
        var (x, y) = Batch();
        model.TrainOnBatch(x, y);
        Assert.Equal(bottom, pretrained.GetLayer("conv_a").GetWeights()[0]);
        Assert.NotEqual(top, pretrained.GetLayer("conv_top").GetWeights()[0]);
        Assert.Contains("Trainable params: 236", model.SummaryText());
    }

    [Fact]
    public void Save_and_load_keep_the_frozen_flags()
    {
        var (model, pretrained) = WithNewHead();
        pretrained.GetLayer("conv_top").Trainable = true;
        string path = Path.Combine(TestData.NewTempDirectory(), "transfer.trilo");
        model.Save(path);
        var loaded = Model.Load(path);
        Assert.Equal(model.SummaryText().Replace("transfer", ""), loaded.SummaryText().Replace("transfer", ""));
        var loadedBase = (Model)loaded.GetLayer("base");
        Assert.False(loadedBase.GetLayer("conv_a").Trainable);
        Assert.True(loadedBase.GetLayer("conv_top").Trainable);
        Assert.True(loaded.GetLayer("head").Trainable);
    }

    [Fact]
    public void An_unknown_layer_name_lists_the_layers()
    {
        var (model, _) = WithNewHead();
        var e = Assert.Throws<ArgumentException>(() => model.GetLayer("dense_9"));
        Assert.Contains("its layers are base, head", e.Message);
    }

    [Fact]
    public void Freezing_a_sequential_before_it_is_built_freezes_its_layers()
    {
        var stack = new Sequential(new Conv2D(2, 3), new Flatten(), new Dense(3)) { Trainable = false };
        Assert.All(stack.Stack, l => Assert.False(l.Trainable));
        stack.Build([6, 6, 1]);
        Assert.Contains("Trainable params: 0", stack.SummaryText());
    }

    [Fact]
    public void WithNewHead_freezes_the_base_and_Unfreeze_finds_layers_in_nested_models()
    {
        var pretrained = Base();
        var wrapperInput = Input.Of([8, 8, 1]);
        var wrapper = new Model(wrapperInput, new ActivationLayer(Activation.Linear).Call(pretrained.Call(wrapperInput)), "wrapper");
        var model = TransferLearning.WithNewHead(wrapper, classes: 3, inputScale: 2f);
        Assert.Contains("Trainable params: 21", model.SummaryText());                   // 6 × 3 + 3
        Assert.Equal(3, TransferLearning.Unfreeze(wrapper, "conv_top"));                 // conv_top, pool, and the wrapper's linear activation
        Assert.True(pretrained.GetLayer("conv_top").Trainable);
        Assert.False(pretrained.GetLayer("conv_a").Trainable);
        Assert.Throws<ArgumentException>(() => TransferLearning.Unfreeze(wrapper, "nothing"));
    }
}
