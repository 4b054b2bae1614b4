using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;
using static Trilobite.Cli.Tests.CliRunner;

namespace Trilobite.Cli.Tests;

/// <summary>
/// <c>train --save F --checkpoint-every N</c>: a run killed with SIGKILL at any moment resumes from its last step
/// checkpoint and ends exactly as a run never stopped; a checkpoint that cannot be written stops training with one line
/// and keeps the last good file.
/// </summary>
public partial class StepCheckpointCliTests
{
    /// <summary>LeNet-5 with the shifts and cosine decay of the LeNet recipe: 64 steps per epoch, a checkpoint every 10.</summary>
    private static string[] TrainArgs(string data, int epochs) =>
        ["train", "lenet5", "--data", data, "--epochs", epochs.ToString(CultureInfo.InvariantCulture), "--augment", "true",
         "--lr-schedule", "cosine", "--threads", "1", "--verbose", "0", "--checkpoint-every", "10"];

    private static string Cli => Path.Combine(AppContext.BaseDirectory, OperatingSystem.IsWindows() ? "Trilobite.Cli.exe" : "Trilobite.Cli");

    private static Process Start(IEnumerable<string> args)
    {
        var start = new ProcessStartInfo(Cli) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (string a in args) start.ArgumentList.Add(a);
        return Process.Start(start)!;
    }

    private static string FinalLoss(string output) => FinalLossLine().Match(output) is { Success: true } m ? m.Value
        : throw new Xunit.Sdk.XunitException("no 'Final training loss' line in:\n" + output);

    private static float[] Weights(string path) => [.. Model.Load(path).Weights.SelectMany(w => w.Value.ToArray())];

    [Fact]
    public async Task KilledAtTwentyRandomMomentsEveryCheckpointLoadsAndEveryResumedRunEndsAsTheUninterruptedOne()
    {
        string root = TempDir();
        try
        {
            string data = SmallMnistFolder(root, 2048, 64);
            const int epochs = 3;
            string reference = Path.Combine(root, "reference.trilo");
            var clock = System.Diagnostics.Stopwatch.StartNew();
            var straight = Start([.. TrainArgs(data, epochs), "--save", reference]);
            string straightOut = straight.StandardOutput.ReadToEnd();
            straight.WaitForExit();
            double straightMs = clock.Elapsed.TotalMilliseconds;
            Assert.True(straight.ExitCode == 0, straightOut + straight.StandardError.ReadToEnd());
            string expectedLoss = FinalLoss(straightOut);
            var expectedWeights = Weights(reference);

            // TRILOBITE_KILL_SEED draws other moments (the seed is printed with the log).
            int seed = int.TryParse(Environment.GetEnvironmentVariable("TRILOBITE_KILL_SEED"), out int s) ? s : 2026;
            var random = new Random(seed);
            (int Epochs, int Steps) last = (0, 0);
            string model = Path.Combine(root, "killed.trilo");
            var log = new List<string>();
            int kills = 0, completed = 0;
            while (kills < 20)
            {
                bool resume = File.Exists(model);
                var run = Start([.. TrainArgs(data, epochs), resume ? "--resume" : "--save", model]);
                var output = run.StandardOutput.ReadToEndAsync();
                // Between 7.5 % and 80 % of an uninterrupted run, timed on this machine under its present load (a fixed
                // window of milliseconds fell before the first checkpoint every time when the whole suite ran at once).
                int delayMs = (int)(straightMs * (0.075 + 0.725 * random.NextDouble()));
                if (!run.WaitForExit(delayMs))
                {
                    run.Kill();   // SIGKILL: no handler, no flush, no finally
                    run.WaitForExit();
                    kills++;
                    string said = string.Join(" / ", (await output).Split('\n').Where(l => l.StartsWith("Resuming", StringComparison.Ordinal)));
                    if (!File.Exists(model)) { log.Add($"kill {kills} after {delayMs} ms: before the first checkpoint"); continue; }
                    var saved = Model.Load(model);   // every checkpoint left behind loads
                    log.Add($"kill {kills} after {delayMs} ms ({(resume ? said == "" ? "resuming" : said : "fresh")}): epoch {saved.CompletedEpochs}, step {saved.CompletedSteps}");
                    Assert.True(saved.CompletedSteps % 10 == 0, $"checkpoint at step {saved.CompletedSteps}");
                    var now = (saved.CompletedEpochs, saved.CompletedSteps);
                    Assert.True(!resume || now.CompletedEpochs > last.Epochs || now.CompletedEpochs == last.Epochs && now.CompletedSteps >= last.Steps,
                        $"seed {seed}: a resumed run went back from {last} to {now}:\n" + string.Join('\n', log));
                    last = now;
                    if (saved.CompletedEpochs < epochs) continue;
                    // Killed after the last epoch's save, while testing: the chain is over, and it too ends as the uninterrupted run.
                    Assert.Equal(expectedWeights, Weights(model));
                    File.Delete(model);
                    (completed, last) = (completed + 1, (0, 0));
                    continue;
                }
                string text = await output;
                Assert.True(run.ExitCode == 0, string.Join('\n', log) + "\n" + text + run.StandardError.ReadToEnd());
                Assert.Equal(expectedLoss, FinalLoss(text));
                Assert.Equal(expectedWeights, Weights(model));
                log.Add($"run ended: {FinalLoss(text)}, the same weights");
                (completed, last) = (completed + 1, (0, 0));
                File.Delete(model);   // the next kills hit a fresh run
            }
            // Finish the chain the last kill interrupted: it too must end as the uninterrupted run.
            var finish = Start([.. TrainArgs(data, epochs), File.Exists(model) ? "--resume" : "--save", model]);
            string finishOut = finish.StandardOutput.ReadToEnd();
            finish.WaitForExit();
            Assert.True(finish.ExitCode == 0, finishOut + finish.StandardError.ReadToEnd());
            Assert.Equal(expectedLoss, FinalLoss(finishOut));
            Assert.Equal(expectedWeights, Weights(model));
            Console.WriteLine($"seed {seed}:\n" + string.Join('\n', log));
            Assert.True(completed + 1 >= 2, "the kills should let at least one chain of resumed runs finish before the last: " + string.Join('\n', log));
        }
        finally { Directory.Delete(root, recursive: true); }
    }

    [MountFact]
    public void AFullDiskStopsTrainingWithOneLineAndKeepsTheLastGoodCheckpoint()
    {
        string root = TempDir(), disk = Path.Combine(root, "disk");
        try
        {
            string data = SmallMnistFolder(root, 640, 64);
            // How big one checkpoint is: the first fits on the small disk, the second cannot be written beside it.
            string sized = Path.Combine(root, "sized.trilo");
            Assert.Equal(0, Run([.. TrainArgs(data, 1), "--save", sized]).Code);
            long size = new FileInfo(sized).Length;
            Directory.CreateDirectory(disk);
            Mounts.Tmpfs(disk, size * 3 / 2);
            try
            {
                string model = Path.Combine(disk, "m.trilo");
                var (code, _, err) = Run([.. TrainArgs(data, 2), "--save", model]);
                Assert.NotEqual(0, code);
                Assert.Single(err.Trim().Split('\n'));
                Assert.Contains($"could not save {model} at step 20 of epoch 1", err);
                Assert.Contains("No space left on device", err);
                Assert.Contains("the last checkpoint written there is unchanged", err);
                var kept = Model.Load(model);
                Assert.Equal((0, 10), (kept.CompletedEpochs, kept.CompletedSteps));
                Assert.Equal(["m.trilo"], Directory.GetFiles(disk).Select(Path.GetFileName));   // no temporary file left
            }
            finally { Mounts.Unmount(disk); }
        }
        finally { Directory.Delete(root, recursive: true); }
    }

    [MountFact]
    public void AReadOnlyFolderStopsTrainingWithOneLineAndLeavesTheCheckpointAsItWas()
    {
        string root = TempDir(), folder = Path.Combine(root, "models");
        try
        {
            string data = SmallMnistFolder(root, 640, 64);
            string model = Path.Combine(folder, "m.trilo");
            Assert.Equal(0, Run([.. TrainArgs(data, 1), "--save", model]).Code);
            var before = File.ReadAllBytes(model);
            Mounts.ReadOnly(folder);
            try
            {
                var (code, _, err) = Run([.. TrainArgs(data, 2), "--resume", model]);
                Assert.NotEqual(0, code);
                Assert.Single(err.Trim().Split('\n'));
                Assert.Contains($"could not save {model} at step 10 of epoch 2", err);
                Assert.Contains("Read-only file system", err);
                Assert.Equal(before, File.ReadAllBytes(model));
            }
            finally { Mounts.Unmount(folder); }
        }
        finally { Directory.Delete(root, recursive: true); }
    }

    [Theory]
    [InlineData("--checkpoint-every needs --save FILE")]
    [InlineData("--checkpoint-every keeps the latest state in --save, --save-best the best epoch: choose one.", "--save", "m.trilo", "--save-best", "--validation-split", "0.1")]
    public void CheckpointEveryNeedsASaveFileAndIsNotSaveBest(string message, params string[] more)
    {
        var (code, _, err) = Run(["train", "lenet5", "--epochs", "1", "--checkpoint-every", "10", .. more]);
        Assert.NotEqual(0, code);
        Assert.Contains(message, err);
    }

    [GeneratedRegex("Final training loss: \\S+")]
    private static partial Regex FinalLossLine();
}
