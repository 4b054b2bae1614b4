using System.CommandLine;
using System.Diagnostics;
using Trilobite.Vision.Scenes;

namespace Trilobite.Cli.Commands;

/// <summary>
/// <c>trilobite scenes --out DIR [--count 1000] [--seed 1] [--digits train|test]</c>: the digit-scene benchmark of the
/// detection and segmentation work, written in COCO format with a mask per scene (<see cref="CocoScenes"/>).
/// </summary>
internal static class ScenesCommand
{
    public static Command Create(ConsoleIO io)
    {
        var output = new Option<string>("--out") { Description = "Folder to write images/, masks/ and instances.json into (created).", Required = true };
        var count = new Option<int>("--count") { Description = "Number of scenes.", DefaultValueFactory = _ => 1000 }.Range(1, 1_000_000);
        var seed = new Option<int>("--seed") { Description = "The scene sequence: the same seed gives the same scenes.", DefaultValueFactory = _ => 1 };
        var digits = new Option<string>("--digits") { Description = "Which of the shipped sample's digits to draw from: train (8,495) or test (1,505).", DefaultValueFactory = _ => "train" };
        digits.AcceptOnlyFromAmong("train", "test");
        var command = new Command("scenes", "Write 128×128 scenes of 1-5 real MNIST digits with boxes (COCO JSON) and per-pixel masks.") { output, count, seed, digits };
        command.SetAction(parse => io.Guard(() =>
        {
            string directory = parse.GetValue(output)!;
            if (File.Exists(Path.Combine(directory, CocoScenes.AnnotationFile)))
                throw new UsageException($"--out {directory} already holds a scene set ({CocoScenes.AnnotationFile}); choose an empty folder.");
            int n = parse.GetValue(count);
            var clock = Stopwatch.StartNew();
            var generator = DigitSceneGenerator.FromSample(test: parse.GetValue(digits) == "test");
            CocoScenes.Write(directory, generator, parse.GetValue(seed), n, written => io.Error.WriteLine($"{written}/{n} scenes"));
            io.Out.WriteLine($"Wrote {n} scenes of the {parse.GetValue(digits)} digits (seed {parse.GetValue(seed)}) to {directory} in {clock.Elapsed.TotalSeconds:F1}s: images/, masks/, {CocoScenes.AnnotationFile}.");
            return 0;
        }));
        return command;
    }
}
