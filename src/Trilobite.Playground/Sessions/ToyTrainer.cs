using Trilobite.Autograd;
using Trilobite.Layers;

namespace Trilobite.Playground.Sessions;

/// <summary>
/// One playground network and its data: a stack of Dense layers over the chosen features, ending in
/// one sigmoid unit (probability of blue), trained by the model's own step (<see cref="Model.TrainOnBatch"/>) with plain
/// SGD on binary cross-entropy. L1/L2 regularisation are Keras regularizers on the kernels (not the biases), scaled so
/// the penalty's gradient is what TensorFlow Playground adds: λ·sign(w) for L1 (L1(λ)) and λ·w for L2 (L2(λ/2), whose
/// gradient is 2·(λ/2)·w). Not thread-safe: the session locks.
/// </summary>
public sealed class ToyTrainer
{
    private readonly Sequential _model;
    private readonly SGD _optimizer;
    private readonly Tensor _trainX, _trainY, _testX, _testY;
    private readonly Random _shuffle;
    private readonly Loss _loss = Loss.BinaryCrossentropy;

    /// <summary>Generates the data, builds and seeds the network, and measures the initial losses.</summary>
    /// <exception cref="ArgumentException"><paramref name="config"/> is invalid.</exception>
    public ToyTrainer(SessionConfig config)
    {
        config.Validate();
        Config = config;
        (Train, Test) = ToyDataset.Generate(config.DatasetKind, config.Noise, config.TrainRatio, config.Seed);
        int features = config.Features.Length;
        var layers = new List<Layer>();
        foreach (int units in config.Hidden)
            layers.Add(new Dense(units, config.ActivationKind, inputShape: layers.Count == 0 ? [features] : null));
        layers.Add(new Dense(1, Activation.Sigmoid, inputShape: layers.Count == 0 ? [features] : null));
        _model = new Sequential(layers, "playground");
        _model.Reinitialize(config.Seed);
        _optimizer = new SGD(config.LearningRate);
        _model.Compile(_loss, _optimizer);
        ApplyRegularization(config);
        _shuffle = new Random(RandomSeed.Derive(config.Seed, 7));
        (_trainX, _trainY) = (InputFeature.Matrix(config.Features, Train), Labels(Train));
        (_testX, _testY) = (InputFeature.Matrix(config.Features, Test), Labels(Test));
        (TrainLoss, TestLoss) = (Evaluate(_trainX, _trainY), Evaluate(_testX, _testY));
    }

    /// <summary>The configuration; learning rate, regularisation and batch size may change between epochs.</summary>
    public SessionConfig Config { get; private set; }

    /// <summary>The training points.</summary>
    public ToyPoint[] Train { get; }
    /// <summary>The held-out test points.</summary>
    public ToyPoint[] Test { get; }
    /// <summary>Epochs run so far (0 before the first).</summary>
    public int Epoch { get; private set; }
    /// <summary>Binary cross-entropy on the training points, measured after the last epoch (or at the start).</summary>
    public double TrainLoss { get; private set; }
    /// <summary>Binary cross-entropy on the test points, measured after the last epoch (or at the start).</summary>
    public double TestLoss { get; private set; }

    /// <summary>The Dense layers, input side first (the last is the output unit).</summary>
    public IReadOnlyList<Dense> Layers => _model.Stack.Cast<Dense>().ToList();

    /// <summary>Number of trainable values (the session's memory estimate uses it).</summary>
    public long ParameterCount => _model.ParameterCount;

    /// <summary>Whether <paramref name="next"/> differs only in what can change while training.</summary>
    public bool CanApplyLive(SessionConfig next) =>
        next with { LearningRate = Config.LearningRate, Regularization = Config.Regularization, RegularizationRate = Config.RegularizationRate, BatchSize = Config.BatchSize, Features = Config.Features, Hidden = Config.Hidden } == Config
        && next.Features.SequenceEqual(Config.Features) && next.Hidden.SequenceEqual(Config.Hidden);

    /// <summary>Changes learning rate, regularisation or batch size without resetting the network.</summary>
    public void ApplyLive(SessionConfig next)
    {
        next.Validate();
        if (!CanApplyLive(next)) throw new ArgumentException("Only learningRate, regularization, regularizationRate and batchSize can change without a reset.");
        Config = next;
        _optimizer.LearningRate = next.LearningRate;
        ApplyRegularization(next);
    }

    /// <summary>Puts the configured penalty (or none) on every kernel.</summary>
    private void ApplyRegularization(SessionConfig config)
    {
        double rate = config.RegularizationRate;
        Regularizer? penalty = config.RegularizationKind switch
        {
            _ when rate <= 0 => null,
            1 => Regularizer.L1(rate),
            2 => Regularizer.L2(rate / 2),
            _ => null,
        };
        foreach (var dense in Layers) dense.KernelRegularizer = penalty;
    }

    /// <summary>One pass over the shuffled training points in mini-batches; then both losses are measured.</summary>
    public void RunEpoch()
    {
        int n = Train.Length, features = Config.Features.Length, batch = Math.Min(Config.BatchSize, n);
        int[] order = Enumerable.Range(0, n).ToArray();
        _shuffle.Shuffle(order);
        float[] xs = new float[n * features], ys = new float[n];
        float[] x = _trainX.ToArray(), y = _trainY.ToArray();
        for (int i = 0; i < n; i++)
        {
            x.AsSpan(order[i] * features, features).CopyTo(xs.AsSpan(i * features));
            ys[i] = y[order[i]];
        }
        Tensor shuffledX = Tensor.FromArray(xs, n, features), shuffledY = Tensor.FromArray(ys, n, 1);
        for (int start = 0; start < n; start += batch)
        {
            int count = Math.Min(batch, n - start);
            _model.TrainOnBatch(shuffledX.Slice(start, count), shuffledY.Slice(start, count));
        }
        Epoch++;
        (TrainLoss, TestLoss) = (Evaluate(_trainX, _trainY), Evaluate(_testX, _testY));
    }

    private double Evaluate(Tensor x, Tensor y)
    {
        using var scope = new TensorScope();
        using var _ = GradMode.NoGrad();
        return _loss.Compute(_model.Forward(x.To(_model.Device)), y.To(_model.Device)).ToArray()[0];
    }

    /// <summary>
    /// Every layer's output on a grid×grid lattice over [−6, 6]² (row 0 at the top, y = +6): element
    /// [layer][neuron] holds grid² values. Layer 0 is the input features.
    /// </summary>
    public float[][][] Lattice(int grid)
    {
        var points = new ToyPoint[grid * grid];
        for (int row = 0; row < grid; row++)
            for (int col = 0; col < grid; col++)
                points[row * grid + col] = new ToyPoint(Coordinate(col, grid), -Coordinate(row, grid), 0);
        var result = new List<float[][]>();
        using var scope = new TensorScope();
        using var _ = GradMode.NoGrad();
        var x = InputFeature.Matrix(Config.Features, points).To(_model.Device);
        result.Add(Columns(x));
        foreach (var layer in _model.Stack)
        {
            x = layer.Forward([x], false);
            result.Add(Columns(x));
        }
        return [.. result];
    }

    /// <summary>The centre of cell <paramref name="index"/> of <paramref name="grid"/> across [−6, 6].</summary>
    public static float Coordinate(int index, int grid) => -ToyDataset.Extent + (index + 0.5f) * 2 * ToyDataset.Extent / grid;

    /// <summary>(N, K) → K arrays of N values.</summary>
    private static float[][] Columns(Tensor t)
    {
        int n = t.Dim(0), k = t.Dim(1);
        float[] s = t.ToArray();
        var columns = new float[k][];
        for (int j = 0; j < k; j++)
        {
            columns[j] = new float[n];
            for (int i = 0; i < n; i++) columns[j][i] = s[i * k + j];
        }
        return columns;
    }

    private static Tensor Labels(ToyPoint[] points) => Tensor.FromArray(points.Select(p => p.Label).ToArray(), points.Length, 1);
}
