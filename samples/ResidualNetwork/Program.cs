// A small residual network (He et al. 2016) written with the functional API: every block adds its input back onto
// its output, so the gradient has a short path to the early layers. Run:
//   dotnet run --project samples/ResidualNetwork -c Release [-- EPOCHS]
using System.Globalization;
using Trilobite;
using Trilobite.Data;
using Trilobite.Layers;

int epochs = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 5;
var (trainImages, testImages) = Mnist.LoadSample();
var train = trainImages.ToDataset();
var test = testImages.ToDataset();

// Keras's BN momentum 0.99 averages over ~100 steps: too slow for a run of a few hundred, so validation would lag far
// behind training. 0.9 follows the batch statistics within a few dozen steps.
BatchNormalization Bn() => new(momentum: 0.9);

// conv → BN → ReLU → conv → BN, plus the shortcut (a 1×1 convolution when the shape changes), then ReLU.
SymbolicTensor ResidualBlock(SymbolicTensor x, int filters, int stride)
{
    var y = new Conv2D(filters, kernelSize: 3, strides: stride, padding: Padding.Same, useBias: false).Call(x);
    y = Bn().Call(y);
    y = new ActivationLayer(Activation.ReLU).Call(y);
    y = new Conv2D(filters, kernelSize: 3, padding: Padding.Same, useBias: false).Call(y);
    y = Bn().Call(y);
    var shortcut = stride == 1 && x.Shape[^1] == filters
        ? x
        : Bn().Call(new Conv2D(filters, kernelSize: 1, strides: stride, useBias: false).Call(x));
    return new ActivationLayer(Activation.ReLU).Call(new Add().Call(y, shortcut));
}

RandomSeed.Set(1);
var input = Input.Of([28, 28, 1]);
var h = new Conv2D(16, kernelSize: 3, padding: Padding.Same, activation: Activation.ReLU).Call(input);
h = ResidualBlock(h, 16, stride: 1);          // 28×28×16
h = ResidualBlock(h, 32, stride: 2);          // 14×14×32
h = ResidualBlock(h, 64, stride: 2);          // 7×7×64
h = new GlobalAveragePooling2D().Call(h);
var output = new Dense(10, activation: Activation.Softmax).Call(h);
var model = new Model(input, output, "residual_mnist");
model.Summary();

model.Compile(Loss.CategoricalCrossentropy, new Adam(), [Metric.Accuracy]);
model.Fit(train.X, train.Y, batchSize: 64, epochs: epochs, validationSplit: 0.1,
    callbacks: [LearningRateScheduler.Cosine(1e-3, epochs)]);   // large steps first, small ones to settle
Console.WriteLine($"Test accuracy: {model.Evaluate(test.X, test.Y)["accuracy"]:F4}");
