using System.CommandLine;
using System.Globalization;

namespace Trilobite.Cli.Commands;

/// <summary>
/// The Keras <c>compile</c>/<c>fit</c> choices of <c>train</c>, shared by IDX files and image folders: optimizer,
/// learning rate and its schedule, momentum, the validation split, early stopping, keeping the best epoch and the
/// history CSV. Validation data is always carved out of the training data; the test split is for the final line only.
/// </summary>
internal sealed class FitOptionsCli
{
    public readonly Option<string> Optimizer = new Option<string>("--optimizer")
    { Description = "sgd, adam or rmsprop (Keras's defaults for each; the saved optimizer when resuming).", DefaultValueFactory = _ => "adam" };

    public readonly Option<double?> LearningRate = new Option<double?>("--learning-rate", "--lr")
    { Description = "The optimizer's learning rate (default: Keras's, 0.01 for sgd and 0.001 for adam and rmsprop)." }.Range(0, 10, minExclusive: true);

    public readonly Option<double?> Momentum = new Option<double?>("--momentum")
    { Description = "sgd and rmsprop: momentum in [0, 1) (default 0)." }.Range(0, 1, maxExclusive: true);

    public readonly Option<string?> Schedule = new("--lr-schedule")
    { Description = "constant; cosine: decay from the learning rate towards 0 over the epochs; exponential: times 0.9 each epoch (default: the model's recipe on IDX data, lenet: cosine, capsnet: exponential; otherwise constant)." };

    public readonly Option<double?> ValidationSplit = new Option<double?>("--validation-split")
    { Description = "Fraction of the training data held out to validate on after every epoch (IDX files: the last fraction, as Keras; default 0. Image folders: a seeded random fraction, default 0.2)." }.Range(0, 1, maxExclusive: true);

    public readonly Option<int?> EarlyStopping = new Option<int?>("--early-stopping")
    { Description = "Stop when the validation loss has not improved for this many epochs (needs --validation-split)." }.Range(1, 100_000);

    public readonly Option<bool> SaveBest = new("--save-best")
    { Description = "With --save: keep the epoch with the lowest validation loss in the file instead of the last (needs --validation-split)." };

    public readonly Option<int?> CheckpointEvery = new Option<int?>("--checkpoint-every")
    { Description = "With --save: also save every N steps inside an epoch, so a killed run loses at most N steps; --resume continues from that step with the same result as an uninterrupted run." }.Range(1, 1_000_000_000);

    public readonly Option<string?> History = new("--history")
    { Description = "Write loss and metrics per epoch to this CSV file (appended to when resuming); draw it with 'trilobite plot'." };

    public FitOptionsCli()
    {
        Optimizer.AcceptOnlyFromAmong("sgd", "adam", "rmsprop");
        Schedule.AcceptOnlyFromAmong("constant", "cosine", "exponential");
    }

    public IEnumerable<Option> All => [Optimizer, LearningRate, Momentum, Schedule, ValidationSplit, EarlyStopping, SaveBest, CheckpointEvery, History];

    /// <summary>The choices on this command line, with the model's recipe and the data kind's defaults filling the gaps.</summary>
    public FitChoices Read(ParseResult parse, ModelCatalog.Recipe recipe, double defaultValidationSplit, string? savePath)
    {
        string optimizer = parse.GetValue(Optimizer)!;
        double? momentum = parse.GetValue(Momentum);
        if (momentum != null && optimizer == "adam")
            throw new UsageException("--momentum applies to sgd and rmsprop; Adam has none (choose --optimizer sgd or rmsprop).");
        var choices = new FitChoices(optimizer, parse.GetValue(LearningRate) ?? (optimizer == "sgd" ? 0.01 : 1e-3), momentum ?? 0,
            parse.GetValue(Schedule) ?? recipe.Schedule, parse.GetValue(ValidationSplit) ?? defaultValidationSplit,
            parse.GetValue(EarlyStopping), parse.GetValue(SaveBest), parse.GetValue(CheckpointEvery), parse.GetValue(History), savePath,
            OptimizerGiven: parse.GetResult(Optimizer) is { Implicit: false }, LearningRateGiven: parse.GetValue(LearningRate) != null);
        choices.Check();
        return choices;
    }
}

/// <summary>What <see cref="FitOptionsCli"/> read: turns into the optimizer, the callbacks and the line that says how training runs.</summary>
internal sealed record FitChoices(string OptimizerName, double LearningRate, double Momentum, string Schedule, double ValidationSplit,
    int? EarlyStoppingPatience, bool SaveBest, int? CheckpointEvery, string? HistoryPath, string? SavePath, bool OptimizerGiven, bool LearningRateGiven)
{
    private const string Monitor = "val_loss";

    /// <summary>The exponential schedule's factor per epoch (the official CapsNet recipe's 0.9).</summary>
    public const double ExponentialDecay = 0.9;

    public bool Validates => ValidationSplit > 0;

    /// <summary>Options that watch the validation loss need one; --save-best needs a file.</summary>
    public void Check()
    {
        if (EarlyStoppingPatience != null && !Validates)
            throw new UsageException("--early-stopping watches the validation loss, and there is none: add --validation-split (e.g. 0.1).");
        if (SaveBest && !Validates)
            throw new UsageException("--save-best keeps the epoch with the lowest validation loss, and there is none: add --validation-split (e.g. 0.1).");
        if (SaveBest && SavePath == null)
            throw new UsageException("--save-best needs --save FILE to keep the best epoch in.");
        if (CheckpointEvery != null && SavePath == null)
            throw new UsageException("--checkpoint-every needs --save FILE to write the checkpoints to.");
        if (CheckpointEvery != null && SaveBest)
            throw new UsageException("--checkpoint-every keeps the latest state in --save, --save-best the best epoch: choose one.");
    }

    public Optimizer CreateOptimizer() => OptimizerName switch
    {
        "sgd" => new SGD(LearningRate, Momentum),
        "rmsprop" => new RMSprop(LearningRate, momentum: Momentum),
        _ => new Adam(LearningRate),
    };

    /// <summary>
    /// A resumed run keeps its saved optimizer (its moments are part of the state): naming another one is a mistake, and
    /// naming another --momentum too; an explicit --lr replaces the saved rate.
    /// </summary>
    public void AdoptResumedOptimizer(Model net, string path)
    {
        var optimizer = net.Optimizer!;
        string saved = optimizer.GetType().Name.ToLowerInvariant();
        if (OptimizerGiven && saved != OptimizerName)
            throw new UsageException($"--resume {path} was trained with {saved}; it continues with it (drop --optimizer {OptimizerName}).");
        if (LearningRateGiven) optimizer.LearningRate = LearningRate;
    }

    /// <summary>The learning-rate schedule, checkpointing (every epoch, or the best one) and early stopping and the CSV history when asked for.</summary>
    public List<Callback> Callbacks(int epochs, bool resuming)
    {
        var callbacks = new List<Callback>();
        if (Schedule == "cosine") callbacks.Add(LearningRateScheduler.Cosine(LearningRate, epochs));
        if (Schedule == "exponential") callbacks.Add(LearningRateScheduler.Exponential(LearningRate, ExponentialDecay));
        if (SavePath != null) callbacks.Add(new ModelCheckpoint(SavePath, Monitor, saveBestOnly: SaveBest, saveEverySteps: CheckpointEvery ?? 0));
        if (EarlyStoppingPatience is int patience) callbacks.Add(new EarlyStopping(Monitor, patience));
        if (HistoryPath != null) callbacks.Add(new CSVLogger(HistoryPath, append: resuming));
        return callbacks;
    }

    /// <summary>"Adam at 0.001 with cosine decay" or "SGD at 0.01 with momentum 0.9": what the model's optimizer (new or resumed) will do.</summary>
    public string DescribeOptimizer(Model net)
    {
        var o = net.Optimizer!;
        double momentum = o switch { SGD s => s.Momentum, RMSprop r => r.Momentum, _ => 0 };
        // A schedule sets the rate from its base every epoch; otherwise the optimizer's own rate is used.
        string text = $"{o.GetType().Name} at {Number(Schedule == "constant" ? o.LearningRate : LearningRate)}";   // SGD, Adam, RMSprop
        if (momentum > 0) text += $" with momentum {Number(momentum)}";
        string decay = Schedule switch { "cosine" => " cosine decay", "exponential" => $" exponential decay (×{Number(ExponentialDecay)} per epoch)", _ => "" };
        return text + (decay == "" ? "" : (momentum > 0 ? " and" : " with") + decay);
    }

    /// <summary>After training: early stopping and the kept epoch, one line each; the file is saved here unless it holds the best epoch.</summary>
    public void Report(ConsoleIO io, Model net, History history, IEnumerable<Callback> callbacks)
    {
        if (callbacks.OfType<EarlyStopping>().FirstOrDefault() is { StoppedEpoch: >= 0 } stopper)
            io.Out.WriteLine($"Early stopping: {Monitor} did not improve for {EarlyStoppingPatience} epoch(s); stopped after epoch {stopper.StoppedEpoch + 1}.");
        if (SavePath == null) return;
        if (SaveBest && history.Values.TryGetValue(Monitor, out var losses) && losses.Count > 0)
        {
            int best = Enumerable.Range(0, losses.Count).MinBy(i => losses[i]);
            io.Out.WriteLine($"Saved: {SavePath} (the best epoch, {history.Epochs[best] + 1}: {Monitor} {LossText.Of(losses[best])})");
            return;
        }
        TrainCommand.ReportSaved(io, net, SavePath);
    }

    private static string Number(double v) => v.ToString("G", CultureInfo.InvariantCulture);
}

/// <summary>Losses as people read them: four decimals, as Keras's progress bar, and scientific below 0.001 (so small is not "0.0000").</summary>
internal static class LossText
{
    public static string Of(double loss) =>
        loss == 0 || Math.Abs(loss) >= 1e-3 || !double.IsFinite(loss)
            ? loss.ToString("0.0000", CultureInfo.InvariantCulture)
            : loss.ToString("0.000e+0", CultureInfo.InvariantCulture);
}
