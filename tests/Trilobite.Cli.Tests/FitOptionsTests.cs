using System.Globalization;
using Trilobite.Data;
using static Trilobite.Cli.Tests.CliRunner;

namespace Trilobite.Cli.Tests;

/// <summary>The Keras fit choices of <c>train</c>: optimizers, validation held out of the training data, early stopping, the best epoch, the history CSV.</summary>
public class FitOptionsTests
{
    [Theory]
    [InlineData("--momentum applies to sgd and rmsprop; Adam has none", "--momentum", "0.9")]
    [InlineData("--early-stopping watches the validation loss, and there is none: add --validation-split", "--early-stopping", "2")]
    [InlineData("--save-best keeps the epoch with the lowest validation loss, and there is none: add --validation-split", "--save-best", "--save", "m.trilo")]
    [InlineData("--save-best needs --save FILE", "--save-best", "--validation-split", "0.1")]
    [InlineData("--validation-split 0.0001 of 8495 training images leaves nothing to validate on", "--validation-split", "0.0001")]
    public void ChoicesThatCannotWorkTogetherAreOneUsageLine(string expected, params string[] options)
    {
        var (code, output, err) = Run(["train", "lenet", .. options]);
        Assert.Equal(ExitCodes.Usage, code);
        Assert.Single(err.Trim().Split('\n'));
        Assert.Contains(expected, err);
        Assert.DoesNotContain("Epoch 1/", output);
    }

    [Fact]
    public void SgdWithMomentumValidatesOnHeldOutTrainingDigitsKeepsTheBestEpochAndWritesTheHistory()
    {
        string dir = TempDir();
        try
        {
            string data = SmallMnistFolder(dir, 600, 200), model = Path.Combine(dir, "best.trilo"), csv = Path.Combine(dir, "history.csv");
            var run = Run("train", "lenet", "--data", data, "--epochs", "4", "--optimizer", "sgd", "--lr", "0.05", "--momentum", "0.9",
                "--validation-split", "0.2", "--save", model, "--save-best", "--history", csv, "--verbose", "0", "--augment", "false");
            Assert.True(run.Code == 0, run.Err);
            Assert.Contains("Training lenet: 4 epochs of batch 32, SGD at 0.05 with momentum 0.9 and cosine decay.", run.Out);
            Assert.Contains("Validating on the last 120 training images (--validation-split 0.2), training on 480; the 200 test images are kept for the final line.", run.Out);
            Assert.Matches(@"Final training loss: \d+\.\d{4}\r?\n", run.Out);

            var lines = File.ReadAllLines(csv);
            Assert.Equal("epoch,loss,accuracy,val_loss,val_accuracy", lines[0]);
            Assert.Equal(5, lines.Length);
            var valLoss = lines.Skip(1).Select(l => double.Parse(l.Split(',')[3], CultureInfo.InvariantCulture)).ToList();
            int best = valLoss.IndexOf(valLoss.Min());
            Assert.Contains($"Saved: {model} (the best epoch, {best + 1}: val_loss {valLoss[best].ToString("0.0000", CultureInfo.InvariantCulture)})", run.Out);

            // The file holds that epoch: its loss on the held-out digits (the last 120 of the 600) is the best val_loss.
            var saved = Model.Load(model);
            Assert.IsType<SGD>(saved.Optimizer);
            Assert.Equal(best + 1, saved.CompletedEpochs);
            var (train, _) = Mnist.Load(data);
            var all = train.ToDataset();
            double loss = saved.Evaluate(all.X.Slice(480, 120), all.Y.Slice(480, 120), 256)["loss"];
            Assert.Equal(valLoss[best], loss, 4);

            // Resuming keeps the saved optimizer; asking for another is a usage error.
            var other = Run("train", "lenet", "--data", data, "--epochs", "6", "--resume", model, "--optimizer", "adam");
            Assert.Equal(ExitCodes.Usage, other.Code);
            Assert.Contains($"--resume {model} was trained with sgd; it continues with it (drop --optimizer adam).", other.Err);
        }
        finally { Directory.Delete(dir, recursive: true); }
    }

    [Fact]
    public void EarlyStoppingEndsTheRunWhenTheValidationLossStopsFalling()
    {
        string dir = TempDir();
        try
        {
            // 240 training digits and a high learning rate: the network overfits within a few epochs.
            string data = SmallMnistFolder(dir, 300, 100), csv = Path.Combine(dir, "history.csv");
            var run = Run("train", "lenet", "--data", data, "--epochs", "40", "--optimizer", "rmsprop", "--lr", "0.003", "--lr-schedule", "constant",
                "--validation-split", "0.2", "--early-stopping", "2", "--history", csv, "--verbose", "0", "--augment", "false");
            Assert.True(run.Code == 0, run.Err);
            Assert.Contains("RMSprop at 0.003.", run.Out);
            var valLoss = File.ReadAllLines(csv).Skip(1).Select(l => double.Parse(l.Split(',')[3], CultureInfo.InvariantCulture)).ToList();
            Assert.True(valLoss.Count < 40, $"ran all {valLoss.Count} epochs");
            Assert.Contains($"Early stopping: val_loss did not improve for 2 epoch(s); stopped after epoch {valLoss.Count}.", run.Out);
            // Stopped exactly when two epochs in a row were no better than the best: the best is the third-last epoch.
            Assert.Equal(valLoss.Count - 3, valLoss.IndexOf(valLoss.Min()));
            Assert.True(valLoss[^1] >= valLoss[^3] && valLoss[^2] >= valLoss[^3]);
        }
        finally { Directory.Delete(dir, recursive: true); }
    }

    [Fact]
    public void WithoutASplitTheWholeTrainingSetTrainsAndNothingValidatesOnTheTestDigits()
    {
        string dir = TempDir();
        try
        {
            string data = SmallMnistFolder(dir, 128, 64);
            var run = Run("train", "lenet", "--data", data, "--epochs", "1", "--verbose", "2");
            Assert.True(run.Code == 0, run.Err);
            Assert.Contains("Training on all 128 training images; the 64 test images are kept for the final line", run.Out);
            Assert.DoesNotContain("val_loss", run.Out);
            Assert.Contains("Test accuracy: ", run.Out);
        }
        finally { Directory.Delete(dir, recursive: true); }
    }
}
