using Trilobite.Layers;
using Trilobite.Zoo;

namespace Trilobite.Tests.Models;

public class SummaryTests
{
    [Fact]
    public void LeNetSummaryMatchesTheLecture()
    {
        string expected = """
            Model: "sequential_1"
            _________________________________________________________________
            Layer (type)                 Output Shape              Param #
            =================================================================
            conv2d_1 (Conv2D)            (None, 26, 26, 32)        320
            conv2d_2 (Conv2D)            (None, 24, 24, 64)        18496
            max_pooling2d_1 (MaxPooling2D) (None, 12, 12, 64)      0
            dropout_1 (Dropout)          (None, 12, 12, 64)        0
            flatten_1 (Flatten)          (None, 9216)              0
            dense_1 (Dense)              (None, 128)               1179776
            dropout_2 (Dropout)          (None, 128)               0
            dense_2 (Dense)              (None, 10)                1290
            =================================================================
            Total params: 1,199,882
            Trainable params: 1,199,882
            Non-trainable params: 0
            _________________________________________________________________

            """;
        Assert.Equal(expected, LeNetKeras.Build().SummaryText());
    }

    [Fact]
    public void FunctionalSummaryShowsConnections()
    {
        var input = Input.Of([8, 8, 3]);
        var x = new Conv2D(4, 3, padding: Padding.Same, activation: Activation.ReLU).Call(input);
        var y = new Conv2D(4, 3, padding: Padding.Same).Call(x);
        var output = new Add().Call(x, y);
        var text = new Model(input, output).SummaryText();
        Assert.Contains("Connected to", text);
        Assert.Contains("add_1 (Add)", text);
        Assert.Contains("conv2d_1[0][0], conv2d_2[0][0]", text);
        Assert.Contains("Total params: 260", text);   // (27·4 + 4) + (36·4 + 4)
    }

    [Fact]
    public void BatchNormalizationCountsMovingStatisticsAsNonTrainable()
    {
        var model = new Sequential(new Dense(5, inputShape: [3]), new BatchNormalization());
        var text = model.SummaryText();
        Assert.Contains("Total params: 40", text);          // 20 + 4·5
        Assert.Contains("Trainable params: 30", text);
        Assert.Contains("Non-trainable params: 10", text);
    }

    [Fact]
    public void WrongShapeFailsAtBuildNamingLayerAndShapes()
    {
        var ex = Assert.Throws<LayerShapeException>(() => new Sequential(
            new Conv2D(8, 3, inputShape: [28, 28, 1]), new Dense(10)));
        Assert.Contains("dense", ex.Message);
        Assert.Contains("(None, 26, 26, 8)", ex.Message);
        Assert.Contains("Flatten", ex.Message);
        var add = Assert.Throws<LayerShapeException>(() =>
        {
            var i = Input.Of([4, 4, 2]);
            new Add().Call(new Conv2D(3, 1).Call(i), new Conv2D(5, 1).Call(i));
        });
        Assert.Contains("(None, 4, 4, 3)", add.Message);
        Assert.Contains("(None, 4, 4, 5)", add.Message);
    }
}
