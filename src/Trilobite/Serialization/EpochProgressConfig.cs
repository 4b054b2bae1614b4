using System.Text.Json.Nodes;
using Trilobite.Training;

namespace Trilobite.Serialization;

/// <summary>
/// The "epoch_progress" entry of a checkpoint saved in the middle of an epoch: the steps done and the running totals of
/// the loss and metrics, in double (JSON writes doubles so that they read back bit for bit).
/// </summary>
internal static class EpochProgressConfig
{
    /// <summary>Totals are sums and counts: a metric with more than this many would be a hostile file, not a model.</summary>
    private const int MaxTotalsPerMetric = 1 << 20;

    public static JsonObject Write(EpochProgress p) => new()
    {
        ["epoch"] = p.Epoch,
        ["steps"] = p.Steps,
        ["batches_per_epoch"] = p.BatchesPerEpoch,
        ["loss_totals"] = Doubles(p.LossTotals),
        ["metric_totals"] = new JsonObject(p.MetricTotals.OrderBy(kv => kv.Key, StringComparer.Ordinal)
            .Select(kv => KeyValuePair.Create(kv.Key, (JsonNode?)Doubles(kv.Value)))),
    };

    /// <summary>Throws <see cref="InvalidDataException"/> when the totals of one of <paramref name="metrics"/> are not as many as it keeps.</summary>
    public static void CheckMetrics(EpochProgress progress, IEnumerable<Metric> metrics)
    {
        foreach (var m in metrics)
            if (progress.MetricTotals.TryGetValue(m.Name, out var totals) && totals.Length != m.TotalsCount)
                throw new InvalidDataException($"'epoch_progress.metric_totals.{Excerpt.Of(m.Name)}' holds {totals.Length} numbers, but the metric keeps {m.TotalsCount}.");
    }

    /// <summary>Reads the entry of a model that has completed <paramref name="completedEpochs"/> epochs; throws <see cref="InvalidDataException"/> naming the field that is wrong.</summary>
    public static EpochProgress Read(JsonNode? node, int completedEpochs)
    {
        if (node is not JsonObject o) throw Json.Wrong("epoch_progress", "an object", node);
        int epoch = Json.Int(o, "epoch"), steps = Json.Int(o, "steps"), batches = Json.Int(o, "batches_per_epoch");
        if (epoch != completedEpochs) throw Json.Wrong("epoch_progress.epoch", $"{completedEpochs}, the 0-based epoch after the {completedEpochs} completed", o["epoch"]);
        if (steps < 1) throw Json.Wrong("epoch_progress.steps", "a count of steps, 1 or more", o["steps"]);
        if (batches < steps) throw Json.Wrong("epoch_progress.batches_per_epoch", $"at least the {steps} steps done", o["batches_per_epoch"]);
        var loss = Totals(o["loss_totals"], "epoch_progress.loss_totals");
        if (loss.Length != 2) throw Json.Wrong("epoch_progress.loss_totals", "two numbers (the weighted loss sum and the sample count)", o["loss_totals"]);
        if (o["metric_totals"] is not JsonObject metrics) throw Json.Wrong("epoch_progress.metric_totals", "an object of number arrays", o["metric_totals"]);
        var totals = metrics.ToDictionary(kv => kv.Key, kv => Totals(kv.Value, "epoch_progress.metric_totals." + Excerpt.Of(kv.Key)), StringComparer.Ordinal);
        return new EpochProgress(epoch, steps, batches, loss, totals);
    }

    private static JsonArray Doubles(double[] values) => new(values.Select(v => (JsonNode)JsonValue.Create(v)).ToArray());

    private static double[] Totals(JsonNode? node, string key)
    {
        if (node is not JsonArray a || a.Count > MaxTotalsPerMetric) throw Json.Wrong(key, $"an array of at most {MaxTotalsPerMetric} numbers", node);
        var values = new double[a.Count];
        for (int i = 0; i < values.Length; i++)
            values[i] = a[i] is JsonValue v && v.TryGetValue(out double d) && double.IsFinite(d) ? d : throw Json.Wrong(key, "finite numbers", a[i]);
        return values;
    }
}
