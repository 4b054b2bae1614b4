using System.Text.Json.Nodes;
using Trilobite.Layers;

namespace Trilobite;

/// <summary>
/// Updates trainable weights from their gradients. Per-weight state ("slots": momentum, Adam's m and
/// v) is kept by weight path so it can be saved and restored with the model, and training resumes
/// exactly. Optional decoupled weight decay (w ← w − lr·λ·w before the update), as Keras 3.
/// </summary>
public abstract class Optimizer
{
    private readonly Dictionary<string, float[][]> _slots = [];

    protected Optimizer(double learningRate, double weightDecay)
    {
        if (learningRate <= 0 || double.IsNaN(learningRate)) throw new ArgumentOutOfRangeException(nameof(learningRate), $"Learning rate must be positive, got {learningRate}.");
        LearningRate = learningRate;
        WeightDecay = weightDecay;
    }

    public double LearningRate { get; set; }

    public double WeightDecay { get; }

    /// <summary>Number of steps taken (Adam's t).</summary>
    public long Iterations { get; private set; }

    /// <summary>Keras's name: "adam", "sgd", "rmsprop".</summary>
    public abstract string Name { get; }

    /// <summary>How many state arrays each weight needs.</summary>
    protected abstract int SlotCount { get; }

    /// <summary>Applies one update to every weight that has a gradient.</summary>
    public void Step(IEnumerable<Weight> weights)
    {
        Iterations++;
        foreach (var w in weights)
        {
            if (!w.Trainable || w.Value.Grad == null) continue;
            Span<float> value = w.Value.Span;
            if (WeightDecay > 0) System.Numerics.Tensors.TensorPrimitives.Multiply(value, (float)(1 - LearningRate * WeightDecay), value);
            Update(value, w.Value.Grad.Span, SlotsFor(w.Path, value.Length));
        }
    }

    /// <summary>Updates one weight in place from its gradient and its slots.</summary>
    protected abstract void Update(Span<float> weight, ReadOnlySpan<float> gradient, float[][] slots);

    private float[][] SlotsFor(string path, int length)
    {
        if (_slots.TryGetValue(path, out var slots) && slots.All(s => s.Length == length)) return slots;
        slots = Enumerable.Range(0, SlotCount).Select(_ => new float[length]).ToArray();
        _slots[path] = slots;
        return slots;
    }

    /// <summary>The configuration (name, learning rate, hyper-parameters).</summary>
    public virtual JsonObject GetConfig() => new() { ["name"] = Name, ["learning_rate"] = LearningRate, ["weight_decay"] = WeightDecay };

    /// <summary>The per-weight state, by "weight path/slot index", and the step count.</summary>
    public (IReadOnlyDictionary<string, float[]> Slots, long Iterations) GetState() =>
        (_slots.SelectMany(kv => kv.Value.Select((s, i) => (Key: $"{kv.Key}/{i}", Value: s))).ToDictionary(p => p.Key, p => p.Value), Iterations);

    /// <summary>Restores state written by <see cref="GetState"/>.</summary>
    public void SetState(IReadOnlyDictionary<string, float[]> slots, long iterations)
    {
        _slots.Clear();
        foreach (var group in slots.GroupBy(kv => kv.Key[..kv.Key.LastIndexOf('/')]))
        {
            var arrays = new float[SlotCount][];
            foreach (var kv in group)
            {
                int index = int.Parse(kv.Key[(kv.Key.LastIndexOf('/') + 1)..], System.Globalization.CultureInfo.InvariantCulture);
                if (index < 0 || index >= SlotCount) throw new InvalidDataException($"Optimizer state has slot '{kv.Key}', but {Name} keeps {SlotCount} slot(s) per weight.");
                arrays[index] = kv.Value;
            }
            if (arrays.Any(a => a == null)) throw new InvalidDataException($"Optimizer state for '{group.Key}' is incomplete.");
            _slots[group.Key] = arrays;
        }
        Iterations = iterations;
    }

    /// <summary>Rebuilds an optimizer from <see cref="GetConfig"/>.</summary>
    public static Optimizer FromConfig(JsonObject c)
    {
        double lr = c["learning_rate"]?.GetValue<double>() ?? 1e-3, wd = c["weight_decay"]?.GetValue<double>() ?? 0;
        return c["name"]?.GetValue<string>() switch
        {
            "adam" => new Adam(lr, c["beta_1"]?.GetValue<double>() ?? 0.9, c["beta_2"]?.GetValue<double>() ?? 0.999, c["epsilon"]?.GetValue<double>() ?? 1e-7, wd),
            "sgd" => new SGD(lr, c["momentum"]?.GetValue<double>() ?? 0, c["nesterov"]?.GetValue<bool>() ?? false, wd),
            "rmsprop" => new RMSprop(lr, c["rho"]?.GetValue<double>() ?? 0.9, c["momentum"]?.GetValue<double>() ?? 0, c["epsilon"]?.GetValue<double>() ?? 1e-7, wd),
            var name => throw new InvalidDataException($"Unknown optimizer '{name}'. Known: adam, sgd, rmsprop."),
        };
    }
}
