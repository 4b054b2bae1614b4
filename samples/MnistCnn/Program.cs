// The lecture's LeNet-inspired CNN on the MNIST sample that ships with Trilobite, top to bottom, as the Keras notebook
// writes it. Run:  dotnet run --project samples/MnistCnn -c Release [-- EPOCHS]
using System.Globalization;
using Trilobite;
using Trilobite.Data;
using Trilobite.Layers;

int epochs = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 10;

// 1. Data: 28×28 grey digits scaled to [0, 1], labels one-hot over the 10 classes.
var (trainImages, testImages) = Mnist.LoadSample();
var train = trainImages.ToDataset();          // X (8495, 28, 28, 1), Y (8495, 10)
var test = testImages.ToDataset();            // X (1505, 28, 28, 1): looked at once, at the end

// 2. The network: two convolutions, max-pooling, dropout, a dense layer, dropout, softmax.
RandomSeed.Set(1);
var model = new Sequential(
    new Conv2D(32, kernelSize: 3, activation: Activation.ReLU, inputShape: [28, 28, 1]),
    new Conv2D(64, kernelSize: 3, activation: Activation.ReLU),
    new MaxPooling2D(poolSize: 2),
    new Dropout(0.25),
    new Flatten(),
    new Dense(128, activation: Activation.ReLU),
    new Dropout(0.5),
    new Dense(10, activation: Activation.Softmax));
model.Summary();                              // 1,199,882 parameters

// 3. Compile and fit, holding out the last 10% of the training digits to watch overfitting.
model.Compile(Loss.CategoricalCrossentropy, new Adam(), [Metric.Accuracy]);
var history = model.Fit(train.X, train.Y, batchSize: 128, epochs: epochs, validationSplit: 0.1,
    callbacks: [new EarlyStopping("val_loss", patience: 3, restoreBestWeights: true)]);

// 4. The verdict, on digits the network has never seen.
var result = model.Evaluate(test.X, test.Y);
Console.WriteLine($"Best validation loss: {history["val_loss"].Min():F4}");
Console.WriteLine($"Test accuracy: {result["accuracy"]:F4}");

// 5. Save (architecture, weights and optimizer state in one file) and predict with the reloaded model.
model.Save("mnist-cnn.trilo");
var reloaded = Model.Load("mnist-cnn.trilo");
float[] p = reloaded.Predict(test.X.Slice(0, 1)).ToArray();
int guess = Array.IndexOf(p, p.Max());
Console.WriteLine($"First test digit: {guess} with probability {p[guess]:F4} (label {testImages.Labels[0]})");
