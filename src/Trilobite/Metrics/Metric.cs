namespace Trilobite;

/// <summary>
/// A quantity tracked during training and evaluation, averaged over the samples seen since
/// <see cref="Reset"/>. <see cref="Accuracy"/> picks categorical, sparse or binary accuracy from the
/// loss and shapes, as Keras's "accuracy" string does.
/// </summary>
public abstract class Metric
{
    private double _total;
    private long _count;

    /// <summary>"accuracy": the fraction of samples whose predicted class is the true one.</summary>
    public static Metric Accuracy => new Accuracy();

    /// <summary>Top-k accuracy: the true class is among the k highest scores.</summary>
    public static Metric TopKAccuracy(int k = 5) => new TopKAccuracy(k);

    /// <summary>The key in logs and History ("accuracy", "top_5_accuracy").</summary>
    public abstract string Name { get; }

    public void Reset() => (_total, _count) = (0, 0);

    /// <summary>Adds a batch: predictions (N, …) and targets.</summary>
    public void Update(Tensor prediction, Tensor target)
    {
        int rows = prediction.Dim(0);
        _total += BatchSum(prediction, target, rows);
        _count += rows;
    }

    public double Result => _count == 0 ? 0 : _total / _count;

    /// <summary>Sum of the per-sample metric over the batch.</summary>
    protected abstract double BatchSum(Tensor prediction, Tensor target, int rows);

    /// <summary>The metric for a name in a config ("accuracy", "top_k_accuracy").</summary>
    public static Metric FromName(string name) => name switch
    {
        "accuracy" or "acc" => Accuracy,
        _ when name.StartsWith("top_", StringComparison.Ordinal) && name.EndsWith("_accuracy", StringComparison.Ordinal)
            && int.TryParse(name[4..^9], out int k) => TopKAccuracy(k),
        _ => throw new ArgumentException($"Unknown metric '{name}'. Known: accuracy, top_k_accuracy (e.g. top_5_accuracy)."),
    };

    /// <summary>The class index of each target row: argmax of one-hot rows, or the label itself.</summary>
    protected static int TargetClass(ReadOnlySpan<float> target, int row, int classes, bool sparse) =>
        sparse ? (int)target[row] : System.Numerics.Tensors.TensorPrimitives.IndexOfMax(target.Slice(row * classes, classes));
}

/// <summary>Keras's "accuracy": categorical for one-hot targets, sparse for label targets, binary (threshold 0.5) for one output unit.</summary>
public sealed class Accuracy : Metric
{
    public override string Name => "accuracy";

    protected override double BatchSum(Tensor prediction, Tensor target, int rows)
    {
        int classes = prediction.Length / rows;
        ReadOnlySpan<float> p = prediction.Span, t = target.Span;
        int correct = 0;
        if (classes == 1 || target.Length == prediction.Length && classes == 1)
        {
            for (int i = 0; i < rows; i++) if ((p[i] > 0.5f) == (t[i] > 0.5f)) correct++;
            return correct;
        }
        bool sparse = target.Length == rows;
        for (int r = 0; r < rows; r++)
            if (System.Numerics.Tensors.TensorPrimitives.IndexOfMax(p.Slice(r * classes, classes)) == TargetClass(t, r, classes, sparse)) correct++;
        return correct;
    }
}

/// <summary>The true class is among the k highest-scoring classes.</summary>
public sealed class TopKAccuracy(int k) : Metric
{
    public int K { get; } = k >= 1 ? k : throw new ArgumentOutOfRangeException(nameof(k), $"k must be at least 1, got {k}.");

    public override string Name => $"top_{K}_accuracy";

    protected override double BatchSum(Tensor prediction, Tensor target, int rows)
    {
        int classes = prediction.Length / rows;
        ReadOnlySpan<float> p = prediction.Span, t = target.Span;
        bool sparse = target.Length == rows;
        int correct = 0;
        for (int r = 0; r < rows; r++)
        {
            var scores = p.Slice(r * classes, classes);
            float trueScore = scores[TargetClass(t, r, classes, sparse)];
            int higher = 0;
            foreach (float s in scores) if (s > trueScore) higher++;
            if (higher < K) correct++;
        }
        return correct;
    }
}
