// A capsule network (Sabour, Frosst and Hinton 2017, "Dynamic Routing Between Capsules") on the MNIST sample that ships
// with Trilobite. Capsules are vectors: a digit capsule's length is the probability that its digit is there, its
// direction how the digit is drawn — which the decoder shows by reconstructing the digit from the capsule alone. Run:
//   dotnet run --project samples/CapsNet -c Release [-- TRAINING_DIGITS [EPOCHS]]
using System.Globalization;
using Trilobite;
using Trilobite.Data;
using Trilobite.Plotting;
using Trilobite.Training;
using Trilobite.Zoo;

var (trainImages, testImages) = Mnist.LoadSample();
var train = trainImages.ToDataset();          // X (8495, 28, 28, 1), Y (8495, 10) one-hot
var test = testImages.ToDataset();            // 1505 digits, looked at once, at the end
int count = args.Length > 0 ? Math.Min(int.Parse(args[0], CultureInfo.InvariantCulture), train.Count) : train.Count;
int epochs = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 3;

// Conv1 → 1152 primary capsules of 8 → 10 digit capsules of 16 (three routing iterations) → their lengths; and a
// decoder that redraws the digit from the digit capsules with all but one masked.
RandomSeed.Set(1);
var model = CapsNet.Mnist();
model.Summary();                              // 8,215,568 parameters, 6,804,224 without the decoder
model.ClassNames = trainImages.ClassNames;

// Margin loss on the lengths + 0.0005 × the reconstruction's squared error; Adam decayed ×0.9 each epoch, digits
// shifted by up to 2 pixels, as the paper trains.
model.Compile(Loss.Margin, new Adam(1e-3), [Metric.Accuracy]);
var batches = new AugmentedBatchSource(new ArrayBatchSource(train.X.Slice(0, count), train.Y.Slice(0, count), 32, shuffle: true, seed: 1),
    maxShift: 2, horizontalFlip: false, seed: 2);
model.Fit(batches, new FitOptions { Epochs = epochs, Callbacks = [LearningRateScheduler.Exponential(1e-3, 0.9)] });

var scores = model.Evaluate(test.X, test.Y, batchSize: 128);
Console.WriteLine($"Test accuracy: {scores["accuracy"]:F4}");

// One test digit per class, its reconstruction, and what each of the 16 dimensions of a digit capsule encodes.
float[] labels = test.Y.ArgMax(-1).ToArray();
int[] firsts = [.. Enumerable.Range(0, 10).Select(c => Array.IndexOf(labels, (float)c))];
var digits = Tensor.FromArray([.. firsts.SelectMany(i => test.X.Slice(i, 1).ToArray())], 10, 28, 28, 1);
CapsuleChart.Save(model, digits, "capsules.png");
Console.WriteLine("Wrote capsules.png: ten test digits, their reconstructions, and one capsule's dimensions moved by -0.25 to +0.25.");
