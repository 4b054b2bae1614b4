using System.Text.Json.Nodes;
using Trilobite.Initializers;

namespace Trilobite.Layers;

/// <summary>
/// The Keras layer lifecycle: the constructor stores the configuration; <see cref="Build"/> sees the
/// input shapes (without the batch axis), creates the weights and fixes the output shape;
/// <see cref="Forward"/> computes on a batch. Weights are registered explicitly with
/// <c>AddWeight</c>. Subclasses also describe themselves in <see cref="GetConfig"/> so a
/// model can be saved as data and rebuilt by <see cref="Serialization.LayerRegistry"/>.
/// </summary>
public abstract class Layer
{
    private readonly List<Weight> _weights = [];
    private bool _trainable = true;
    private string? _name;
    private Random? _random;
    private int? _randomSeed;
    private int? _initializationSeed;

    /// <summary>
    /// Stores the name (null: the model numbers it) and the declared input shape (without the batch axis). Throws
    /// <see cref="ArgumentException"/> for a name that is not an identifier or a shape without positive dimensions.
    /// </summary>
    protected Layer(string? name = null, int[]? inputShape = null)
    {
        _name = name == null ? null : Arguments.Name(name);
        DeclaredInputShape = inputShape == null ? null : Arguments.Shape(TypeName, inputShape);
        Device = Device.Default;
    }

    /// <summary>The device this layer's weights live on (a model moves all its layers together: <see cref="Model.To"/>).</summary>
    public Device Device { get; private set; }

    /// <summary>The layer's name; models number unnamed layers per type (conv2d_1, conv2d_2, …).</summary>
    public string Name => _name ?? NamePrefix;

    private bool _autoNamed;

    internal bool HasExplicitName => _name != null && !_autoNamed;

    internal void AssignName(string name)
    {
        _name = name;
        _autoNamed = true;
    }

    /// <summary>The class name Keras shows in summaries: "Conv2D", "MaxPooling2D"…</summary>
    public virtual string TypeName => GetType().Name;

    /// <summary>The snake_case prefix of automatic names.</summary>
    public virtual string NamePrefix => Serialization.Names.SnakeCase(TypeName);

    /// <summary>Input shape given at construction (inputShape: [28, 28, 1]), if any; makes the first layer of a Sequential buildable.</summary>
    public int[]? DeclaredInputShape { get; }

    /// <summary>
    /// When false, the optimizer leaves this layer's weights alone and no gradient is computed for them (transfer learning:
    /// backward stops where nothing before it is trainable); a frozen BatchNormalization normalises with its moving
    /// statistics. Setting it on a model sets it on all its layers, as Keras does. Saved with the model.
    /// </summary>
    public virtual bool Trainable
    {
        get => _trainable;
        set => SetTrainableFlag(value);
    }

    /// <summary>Sets this layer's own flag (a model's layers keep theirs: a loaded file restores each layer's flag itself).</summary>
    internal void SetTrainableFlag(bool value)
    {
        _trainable = value;
        foreach (var w in _weights) w.SyncRequiresGrad();
    }

    /// <summary>Whether <see cref="Build"/> has run: the input and output shapes are fixed and the weights declared.</summary>
    public bool IsBuilt { get; private set; }

    /// <summary>Input shapes seen at build, without the batch axis.</summary>
    public int[][] InputShapes { get; private set; } = [];

    /// <summary>Output shape without the batch axis, known after build.</summary>
    public int[] OutputShape { get; private set; } = [];

    /// <summary>The layer's weights, trainable and not, in registration order (a model: all its layers').</summary>
    public virtual IReadOnlyList<Weight> Weights => _weights;

    /// <summary>How many inputs the layer takes; −1 for "two or more" (Add, Concatenate).</summary>
    public virtual int InputCount => 1;

    /// <summary>Random numbers for this layer's dropout masks (one seed per call), reseeded by the model at every training step.</summary>
    protected internal Random Random
    {
        get => _random ??= new Random(_randomSeed ?? StableHash(Name));
        internal set => _random = value;
    }

    /// <summary>Starts the generator afresh from <paramref name="seed"/>, made when first used: layers without randomness pay nothing.</summary>
    internal void Reseed(int seed)
    {
        _randomSeed = seed;
        _random = null;
    }

    /// <summary>The seed of this layer's weight streams: set by its model from the model's seed and the layer's position.</summary>
    internal int InitializationSeed
    {
        get => _initializationSeed ??= StableHash(Name);
        set => _initializationSeed = value;
    }

    /// <summary>The position of <paramref name="weight"/> among this layer's own weights (its random stream).</summary>
    internal int IndexOf(Weight weight) => _weights.IndexOf(weight);

    /// <summary>
    /// Creates the weights for these input shapes and returns the output shape. Building twice with the same shapes is a
    /// no-op; other shapes are accepted, with the same weights, when the layer can share them (<see cref="CanShareWeights"/>:
    /// a convolution called on two pyramid levels, as Keras allows), and refused otherwise.
    /// </summary>
    public int[] Build(params int[][] inputShapes)
    {
        if (IsBuilt)
        {
            if (SameShapes(inputShapes, InputShapes)) return OutputShape;
            if (inputShapes.Length == InputShapes.Length && CanShareWeights(inputShapes))
            {
                var output = ComputeOutputShape(inputShapes);
                if (!_sharedInputShapes.Any(s => SameShapes(s, inputShapes))) _sharedInputShapes.Add([.. inputShapes.Select(s => (int[])s.Clone())]);
                return output;
            }
            throw new LayerShapeException($"Layer '{Name}' ({TypeName}) was built for input {string.Join(", ", InputShapes.Select(x => ShapeText.WithBatch(x)))}, but received {string.Join(", ", inputShapes.Select(x => ShapeText.WithBatch(x)))}.");
        }
        if (InputCount > 0 && inputShapes.Length != InputCount)
            throw new ArgumentException($"Layer '{Name}' ({TypeName}) takes {InputCount} input(s), but was given {inputShapes.Length}.");
        if (InputCount < 0 && inputShapes.Length < 2)
            throw new ArgumentException($"Layer '{Name}' ({TypeName}) takes two or more inputs, but was given {inputShapes.Length}.");
        OutputShape = ComputeOutputShape(inputShapes);
        InputShapes = inputShapes.Select(s => (int[])s.Clone()).ToArray();
        OnBuild(InputShapes);
        IsBuilt = true;
        return OutputShape;
    }

    /// <summary>The output shape for these input shapes (no batch axis); throws <see cref="LayerShapeException"/> for shapes the layer cannot take.</summary>
    protected abstract int[] ComputeOutputShape(int[][] inputShapes);

    /// <summary>
    /// Whether this built layer's weights also fit <paramref name="inputShapes"/>, so that one layer can be called on inputs
    /// of several shapes (a detector's head shared across pyramid levels). False unless a layer says otherwise.
    /// </summary>
    protected virtual bool CanShareWeights(int[][] inputShapes) => false;

    /// <summary>Whether the layer accepts an input of <paramref name="shapes"/>: the built shapes or one it shares its weights with.</summary>
    protected bool Accepts(int[][] shapes) => SameShapes(shapes, InputShapes) || _sharedInputShapes.Any(s => SameShapes(s, shapes));

    private readonly List<int[][]> _sharedInputShapes = [];

    private static bool SameShapes(int[][] a, int[][] b) => a.Length == b.Length && a.Zip(b).All(p => p.First.SequenceEqual(p.Second));

    /// <summary>Creates the weights. Called once, after the output shape is known.</summary>
    protected virtual void OnBuild(int[][] inputShapes) { }

    /// <summary>Computes the layer on a batch. <paramref name="training"/> switches dropout and batch statistics on.</summary>
    public abstract Tensor Forward(IReadOnlyList<Tensor> inputs, bool training);

    /// <summary>Eager call on one batch, building the layer from its shape on first use.</summary>
    public Tensor Call(Tensor input, bool training = false)
    {
        var shape = input.ShapeArray[1..];
        Build(shape);
        return Forward([input], training);
    }

    /// <summary>Symbolic call for the functional API: records this layer in the graph and returns its output.</summary>
    public SymbolicTensor Call(params SymbolicTensor[] inputs)
    {
        var shape = Build(inputs.Select(i => i.Shape).ToArray());
        return new SymbolicTensor(shape, this, inputs);
    }

    /// <summary>Declares a weight: its values are drawn on first use (see <see cref="Weight"/>), so building allocates nothing.</summary>
    protected Weight AddWeight(string name, int[] shape, Initializer initializer, bool trainable = true, Regularizer? regularizer = null)
    {
        if (_weights.Any(w => w.Name == name)) throw new ArgumentException($"Layer '{Name}' already has a weight named '{name}'.");
        var weight = new Weight(this, name, shape, initializer, trainable) { Regularizer = regularizer };
        _weights.Add(weight);
        return weight;
    }

    /// <summary>Registers a weight made with <see cref="Weight"/>'s constructor for this layer (a custom layer's own weight).</summary>
    protected Weight AddWeight(Weight weight)
    {
        ArgumentNullException.ThrowIfNull(weight);
        if (weight.Owner != this) throw new ArgumentException($"Weight '{weight.Name}' belongs to layer '{weight.Owner.Name}', not to '{Name}'.");
        if (_weights.Any(w => w.Name == weight.Name)) throw new ArgumentException($"Layer '{Name}' already has a weight named '{weight.Name}'.");
        _weights.Add(weight);
        return weight;
    }

    /// <summary>The layer's configuration as Keras would write it (name, trainable, and the layer's own arguments).</summary>
    public virtual JsonObject GetConfig()
    {
        var config = new JsonObject { ["name"] = Name, ["trainable"] = Trainable };
        if (DeclaredInputShape != null) config["input_shape"] = Serialization.Json.Array(DeclaredInputShape);
        return config;
    }

    /// <summary>Draws every weight that exists again from its initializer and this layer's seed (the rest are drawn on first use).</summary>
    internal void ReinitializeWeights()
    {
        foreach (var w in _weights) w.Reinitialize();
    }

    /// <summary>Moves this layer's weights to <paramref name="device"/> (and makes it where new ones are drawn).</summary>
    internal virtual void MoveTo(Device device)
    {
        Device = device;
        foreach (var w in _weights) w.MoveTo(device);
    }

    /// <summary>Set once a model has drawn this layer's weights from its seed (see <see cref="Model.Reinitialize"/>).</summary>
    internal bool InitializedByModel { get; set; }

    /// <summary>Forgets the build so a model whose graph grew can be built again.</summary>
    internal void ResetBuild() => IsBuilt = false;

    /// <summary>Copies of the weight values, in registration order.</summary>
    public float[][] GetWeights() => Weights.Select(w => w.Value.ToArray()).ToArray();

    /// <summary>Replaces the weight values; counts and lengths must match.</summary>
    public void SetWeights(float[][] values)
    {
        var weights = Weights;
        if (values.Length != weights.Count)
            throw new ArgumentException($"Layer '{Name}' has {weights.Count} weights, but {values.Length} arrays were given.");
        for (int i = 0; i < values.Length; i++) weights[i].Assign(values[i]);
    }

    /// <summary>Number of values in all weights (the summary's Param #), from their shapes.</summary>
    public long ParameterCount => Weights.Sum(w => (long)w.Size);

    /// <summary>"name (TypeName)", e.g. "conv2d_1 (Conv2D)".</summary>
    public override string ToString() => $"{Name} ({TypeName})";

    internal static int StableHash(string text)
    {
        unchecked
        {
            int h = (int)2166136261;
            foreach (char c in text) h = (h ^ c) * 16777619;
            return h & int.MaxValue;
        }
    }
}
