using System.Text.Json.Nodes;
using Trilobite.Layers;
using Trilobite.Serialization;

namespace Trilobite;

/// <summary>
/// Updates trainable weights from their gradients with one fused backend call per weight. Per-weight state ("slots":
/// momentum, Adam's m and v) lives on the weight's device and is kept by weight path, so it can be saved with the model
/// and training resumes exactly; it follows a weight that moves to another device. Optional decoupled weight decay
/// (w ← w − lr·λ·w before the update), as Keras 3.
/// </summary>
public abstract class Optimizer
{
    private readonly Dictionary<string, Tensor[]> _slots = [];
    private readonly Dictionary<string, float[][]> _restored = [];

    /// <summary>Throws <see cref="ArgumentOutOfRangeException"/> unless <paramref name="learningRate"/> is positive and finite and <paramref name="weightDecay"/> is non-negative.</summary>
    protected Optimizer(double learningRate, double weightDecay)
    {
        if (!(learningRate > 0 && double.IsFinite(learningRate))) throw new ArgumentOutOfRangeException(nameof(learningRate), $"Learning rate must be positive, got {learningRate}.");
        if (!(weightDecay >= 0)) throw new ArgumentOutOfRangeException(nameof(weightDecay), $"Weight decay must be non-negative, got {weightDecay}.");
        LearningRate = learningRate;
        WeightDecay = weightDecay;
    }

    /// <summary>The step size; may change between steps (<see cref="LearningRateScheduler"/>).</summary>
    public double LearningRate { get; set; }

    /// <summary>The decoupled weight decay λ (0: none), as Keras 3's <c>weight_decay</c>.</summary>
    public double WeightDecay { get; }

    /// <summary>Number of steps taken (Adam's t).</summary>
    public long Iterations { get; private set; }

    /// <summary>Keras's name: "adam", "sgd", "rmsprop".</summary>
    public abstract string Name { get; }

    /// <summary>How many state tensors each weight needs.</summary>
    protected abstract int SlotCount { get; }

    /// <summary>w ← w·(1 − lr·λ) before the update: 1 when there is no decay.</summary>
    protected float DecayFactor => WeightDecay > 0 ? (float)(1 - LearningRate * WeightDecay) : 1f;

    /// <summary>Applies one update to every trainable weight that has a gradient.</summary>
    public void Step(IEnumerable<Weight> weights)
    {
        Iterations++;
        foreach (var w in weights)
        {
            if (!w.Trainable || w.Value.Grad == null) continue;
            Update(w.Value, w.Value.Grad, SlotsFor(w));
        }
    }

    /// <summary>Updates one weight in place from its gradient and its slots (all on one device), with one backend call.</summary>
    protected abstract void Update(Tensor weight, Tensor gradient, Tensor[] slots);

    private Tensor[] SlotsFor(Weight w)
    {
        var device = w.Value.Device;
        if (_slots.TryGetValue(w.Path, out var slots) && Fits(slots, w.Size))
        {
            for (int i = 0; i < slots.Length; i++)
                if (slots[i].Device != device) slots[i] = slots[i].CopyTo(device, pooled: false);
            return slots;
        }
        if (_restored.Remove(w.Path, out var saved) && saved.Length == SlotCount && saved.All(s => s.Length == w.Size))
            slots = saved.Select(s => Tensor.FromArray(s, w.Shape, device)).ToArray();
        else
            slots = Enumerable.Range(0, SlotCount).Select(_ => Tensor.Zeros(w.Shape, device)).ToArray();
        _slots[w.Path] = slots;
        return slots;
    }

    private static bool Fits(Tensor[] slots, int size)
    {
        foreach (var s in slots) if (s.Length != size) return false;
        return true;
    }

    /// <summary>The configuration (name, learning rate, hyper-parameters).</summary>
    public virtual JsonObject GetConfig() => new() { ["name"] = Name, ["learning_rate"] = LearningRate, ["weight_decay"] = WeightDecay };

    /// <summary>The per-weight state copied to the host, by "weight path/slot index", and the step count.</summary>
    public (IReadOnlyDictionary<string, float[]> Slots, long Iterations) GetState()
    {
        var state = new Dictionary<string, float[]>();
        foreach (var (path, slots) in _slots)
            for (int i = 0; i < slots.Length; i++) state[$"{path}/{i}"] = slots[i].ToArray();
        foreach (var (path, slots) in _restored)
            for (int i = 0; i < slots.Length; i++) state.TryAdd($"{path}/{i}", slots[i]);
        return (state, Iterations);
    }

    /// <summary>Restores state written by <see cref="GetState"/>; each weight's slots go to its device at its next update.</summary>
    public void SetState(IReadOnlyDictionary<string, float[]> slots, long iterations)
    {
        _slots.Clear();
        _restored.Clear();
        foreach (var group in slots.GroupBy(kv => kv.Key[..Math.Max(0, kv.Key.LastIndexOf('/'))]))
        {
            var arrays = new float[SlotCount][];
            foreach (var kv in group)
            {
                if (!int.TryParse(kv.Key[(kv.Key.LastIndexOf('/') + 1)..], System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out int index)
                    || index >= SlotCount)
                    throw new InvalidDataException($"Optimizer state has slot '{Excerpt.Of(kv.Key)}', but {Name} keeps {SlotCount} slot(s) per weight.");
                arrays[index] = kv.Value;
            }
            if (arrays.Any(a => a == null)) throw new InvalidDataException($"Optimizer state for '{Excerpt.Of(group.Key)}' is incomplete.");
            _restored[group.Key] = arrays;
        }
        Iterations = iterations;
    }

    /// <summary>Rebuilds an optimizer from <see cref="GetConfig"/>.</summary>
    public static Optimizer FromConfig(JsonObject c)
    {
        double lr = Json.OptionalDouble(c, "learning_rate") ?? 1e-3, wd = Json.OptionalDouble(c, "weight_decay") ?? 0;
        double Or(string key, double fallback) => Json.OptionalDouble(c, key) ?? fallback;
        return Json.OptionalString(c, "name") switch
        {
            "adam" => new Adam(lr, Or("beta_1", 0.9), Or("beta_2", 0.999), Or("epsilon", 1e-7), wd),
            "sgd" => new SGD(lr, Or("momentum", 0), Json.Bool(c, "nesterov", false), wd),
            "rmsprop" => new RMSprop(lr, Or("rho", 0.9), Or("momentum", 0), Or("epsilon", 1e-7), wd),
            var name => throw new InvalidDataException($"Unknown optimizer '{Excerpt.Of(name)}'. Known: adam, sgd, rmsprop."),
        };
    }
}
