// Object detection with a RetinaNet-style detector (Lin et al. 2017): anchor boxes of several sizes and shapes on a
// feature pyramid, each scored for every class with the focal loss and nudged onto its object by box deltas; the
// boxes that survive non-max suppression are the detections. Trained here on scenes of real MNIST digits. Run:
//   dotnet run --project samples/Detection -c Release [-- SCENES [EPOCHS]]
using System.Globalization;
using Trilobite;
using Trilobite.Plotting;
using Trilobite.Vision.Detection;
using Trilobite.Vision.Scenes;

int count = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 4000;
int epochs = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 4;

// The benchmark in COCO format: training scenes from the training digits, test scenes from digits never trained on.
CocoScenes.Write("train-scenes", DigitSceneGenerator.FromSample(test: false), seed: 1, count);
CocoScenes.Write("test-scenes", DigitSceneGenerator.FromSample(test: true), seed: 2, Math.Max(16, count / 10));
var train = CocoDetectionData.Load("train-scenes");
var test = CocoDetectionData.Load("test-scenes");

RandomSeed.Set(1);
var model = RetinaNet.Build(train.ImageShape, train.ClassNames);   // 3,024 anchors: 9 per cell on 16×16, 8×8 and 4×4
model.Compile(new RetinaNetLoss(), new Adam(), [new RetinaNetLossPart(box: false), new RetinaNetLossPart(box: true)]);
var spec = DetectorSpec.Of(model);
var batches = new DetectionBatchSource(train, [.. Enumerable.Range(0, train.Count)], spec, batchSize: 16, shuffle: true, seed: 1);
model.Fit(batches, new FitOptions { Epochs = epochs, Callbacks = [LearningRateScheduler.Cosine(1e-3, epochs)] });

var detector = new ObjectDetector(model);
var (voc, coco) = detector.Evaluate(test);
Console.WriteLine($"Test mAP@0.5: {voc:F4}, COCO mAP: {coco.AP:F4}");

// The first test scene with the boxes the detector is fairly sure of.
var found = detector.Detect(test.Images(0, 1))[0].Where(d => d.Score >= 0.3).ToList();
foreach (var d in found) Console.WriteLine($"digit {test.ClassNames[d.Label]} ({d.Score:F2}) at {d.Box}");
BoxesChart.Save(test.Images(0, 1).ToArray(), 128, 128,
    [.. found.Select(d => new BoxesChart.LabelledBox(d.Box.X1, d.Box.Y1, d.Box.X2, d.Box.Y2, d.Label, d.Score))], test.ClassNames, "boxes.png");
Console.WriteLine("Wrote boxes.png: the first test scene with its detections.");
