using System.Text.Json.Nodes;
using Trilobite.Layers;

namespace Trilobite;

/// <summary>
/// A network as a graph of layer calls (Keras's functional API): inputs → layers → outputs,
/// executed in topological order. A model is itself a layer and can be called inside another.
/// <code>
/// var input = Input.Of([32, 32, 3]);
/// var x = new Conv2D(64, 3, padding: Padding.Same, activation: Activation.ReLU).Call(input);
/// var output = new Add().Call(x, new Conv2D(64, 3, padding: Padding.Same).Call(x));
/// var net = new Model(input, output);
/// </code>
/// </summary>
public partial class Model : Layer
{
    private SymbolicTensor[] _inputs = [];
    private SymbolicTensor[] _outputs = [];
    private List<SymbolicTensor> _nodes = [];
    private Dictionary<SymbolicTensor, SymbolicTensor> _reluAfterBatchNorm = new(ReferenceEqualityComparer.Instance);
    private List<Layer> _layers = [];

    /// <summary>A model from one input to one output of the functional graph.</summary>
    public Model(SymbolicTensor input, SymbolicTensor output, string? name = null) : this([input], [output], name) { }

    /// <summary>
    /// A model from the graph between <paramref name="inputs"/> and <paramref name="outputs"/>, with the global seed
    /// (<see cref="RandomSeed.Global"/>); layers no model has initialised yet get their weights from it. Throws
    /// <see cref="ArgumentException"/> for no inputs or outputs, or a graph that uses an input not passed here.
    /// </summary>
    public Model(SymbolicTensor[] inputs, SymbolicTensor[] outputs, string? name = null) : base(name)
    {
        Seed = RandomSeed.Global;
        SetGraph(inputs, outputs);
    }

    /// <summary>For <see cref="Sequential"/>, which sets its graph once the input shape is known.</summary>
    protected Model(string? name) : base(name) => Seed = RandomSeed.Global;

    /// <summary>Drives weight initialisation (at build), shuffling and dropout.</summary>
    public int Seed { get; private set; }

    /// <summary>The layers in execution order (inputs first).</summary>
    public IReadOnlyList<Layer> Layers => _layers;

    /// <summary>"Functional", as Keras names a model built from a graph.</summary>
    public override string TypeName => "Functional";

    /// <inheritdoc/>
    public override string NamePrefix => "model";

    /// <summary>The number of graph inputs.</summary>
    public override int InputCount => _inputs.Length;

    /// <summary>The graph's layer calls in execution order (inputs first): each node's layer and the nodes it was called on.
    /// Exporters and tools walk this; a layer called twice (shared weights) appears once per call.</summary>
    public IReadOnlyList<SymbolicTensor> Nodes => _nodes;

    /// <summary>
    /// Strings saved with the model and read back by <see cref="Load"/>, for what its layers cannot say: a detector's anchor
    /// sizes and class count, say. Keys and values are the caller's; the core never interprets them.
    /// </summary>
    public Dictionary<string, string> Metadata { get; } = new(StringComparer.Ordinal);

    /// <summary>The graph's inputs (Keras's <c>model.inputs</c>).</summary>
    public IReadOnlyList<SymbolicTensor> GraphInputs => _inputs;

    /// <summary>The graph's outputs (Keras's <c>model.outputs</c>); <see cref="Forward(IReadOnlyList{Tensor}, bool)"/> returns the first.</summary>
    public IReadOnlyList<SymbolicTensor> GraphOutputs => _outputs;

    /// <summary>Input shape without the batch axis (of the first input).</summary>
    public int[] InputShape => _inputs.Length > 0 ? _inputs[0].Shape : throw new InvalidOperationException($"Model '{Name}' has no input yet: give its first layer an inputShape.");

    /// <summary>All the layers' weights (nested models' included), in execution order; a new list on each read.</summary>
    public override IReadOnlyList<Weight> Weights => _layers.Where(l => l is not InputLayer).SelectMany(l => l.Weights).ToList();

    /// <summary>Freezes or unfreezes every layer of the model (nested models' too), as Keras's <c>model.trainable</c>.</summary>
    public override bool Trainable
    {
        get => base.Trainable;
        set
        {
            base.Trainable = value;
            foreach (var layer in _layers) if (layer != this && layer is not InputLayer) layer.Trainable = value;
        }
    }

    /// <summary>
    /// The layer named <paramref name="name"/> (Keras's <c>get_layer</c>), to freeze or unfreeze it, read its weights, or take
    /// the model up to it (<see cref="UpTo"/>). An unknown name is an <see cref="ArgumentException"/> listing the layers.
    /// </summary>
    public Layer GetLayer(string name) => _layers.FirstOrDefault(l => l.Name == name && l is not InputLayer)
        ?? throw new ArgumentException($"Model '{Name}' has no layer '{Excerpt.Of(name)}'; its layers are {string.Join(", ", _layers.Where(l => l is not InputLayer).Select(l => l.Name))}.", nameof(name));

    /// <summary>The weights an optimizer updates: trainable kinds in trainable layers.</summary>
    public IEnumerable<Weight> TrainableWeights => Weights.Where(w => w.Trainable);

    /// <summary>The weights an optimizer leaves alone: frozen layers' and statistics such as BatchNormalization's moving mean.</summary>
    public IEnumerable<Weight> NonTrainableWeights => Weights.Where(w => !w.Trainable);

    /// <summary>
    /// Sets the graph between <paramref name="inputs"/> and <paramref name="outputs"/>: orders and names the layers, builds them,
    /// initialises those no model has initialised yet and moves them to the model's device. Throws <see cref="ArgumentException"/>
    /// for no inputs or outputs, or a graph that uses an input not given.
    /// </summary>
    protected void SetGraph(SymbolicTensor[] inputs, SymbolicTensor[] outputs)
    {
        if (inputs.Length == 0 || outputs.Length == 0) throw new ArgumentException("A model needs at least one input and one output.");
        _inputs = inputs;
        _outputs = outputs;
        _nodes = TopologicalOrder(inputs, outputs);
        _reluAfterBatchNorm = FusableReluPairs(_nodes, outputs);
        _layers = _nodes.Select(n => n.Layer).Distinct().ToList();
        NameLayers();
        ResetBuild();
        Build(inputs.Select(i => i.Shape).ToArray());
        for (int i = 0; i < _layers.Count; i++)
        {
            if (!_layers[i].InitializedByModel) InitializeLayer(i);
            if (_layers[i].Device != Device) _layers[i].MoveTo(Device);
        }
        InitializedByModel = true;   // used as a layer of another model, this one keeps its weights
    }

    /// <summary>
    /// Moves every weight (and, at its next step, the optimizer's state) to <paramref name="device"/>; Fit, Evaluate and
    /// Predict then move each batch there. Returns the model. <code>model.To(Device.Reference);</code>
    /// </summary>
    public Model To(Device device)
    {
        ArgumentNullException.ThrowIfNull(device);
        MoveTo(device);
        return this;
    }

    internal override void MoveTo(Device device)
    {
        base.MoveTo(device);
        foreach (var layer in _layers) if (layer != this) layer.MoveTo(device);
        _lossTotals = null;
    }

    /// <summary>Sets the seed without drawing weights again (a loaded model: its weights come from the file).</summary>
    internal void UseSeed(int seed) => Seed = seed;

    /// <summary>
    /// Seeds each layer from <paramref name="seed"/> and its position, and draws its weights again (those not drawn yet
    /// are drawn from the new seed on first use): the same seed always gives the same initial weights, however the layers
    /// were created and on whichever device.
    /// (A new model initialises only layers that no model has initialised yet, so a pretrained
    /// base keeps its weights when it is reused in a new model.)
    /// </summary>
    public void Reinitialize(int seed)
    {
        Seed = seed;
        for (int i = 0; i < _layers.Count; i++) InitializeLayer(i);
    }

    private void InitializeLayer(int i)
    {
        var layer = _layers[i];
        layer.Random = new Random(RandomSeed.Derive(Seed, i));
        layer.InitializationSeed = RandomSeed.Derive(Seed, i);
        if (layer is Model inner) inner.Reinitialize(RandomSeed.Derive(Seed, i));
        else layer.ReinitializeWeights();
        layer.InitializedByModel = true;
    }

    /// <summary>Gives unnamed layers Keras-style names numbered per type in execution order: conv2d_1, conv2d_2, …</summary>
    private void NameLayers()
    {
        var counts = new Dictionary<string, int>();
        var taken = new HashSet<string>(_layers.Where(l => l.HasExplicitName).Select(l => l.Name));
        foreach (var layer in _layers)
        {
            if (layer.HasExplicitName) continue;
            string name;
            do
            {
                int n = counts.GetValueOrDefault(layer.NamePrefix) + 1;
                counts[layer.NamePrefix] = n;
                name = $"{layer.NamePrefix}_{n}";
            } while (!taken.Add(name));
            layer.AssignName(name);
        }
        if (!HasExplicitName) AssignName($"{NamePrefix}_1");
    }

    private static List<SymbolicTensor> TopologicalOrder(SymbolicTensor[] inputs, SymbolicTensor[] outputs)
    {
        var order = new List<SymbolicTensor>();
        var state = new Dictionary<SymbolicTensor, bool>(ReferenceEqualityComparer.Instance); // false = visiting, true = done
        var stack = new Stack<(SymbolicTensor Node, bool Expanded)>();
        foreach (var o in outputs.Reverse()) stack.Push((o, false));
        while (stack.Count > 0)
        {
            var (node, expanded) = stack.Pop();
            if (expanded) { state[node] = true; order.Add(node); continue; }
            if (state.ContainsKey(node)) continue;
            if (node.Layer is InputLayer && !inputs.Contains(node))
                throw new ArgumentException($"The graph uses input '{node.Layer.Name}' that was not passed to the Model constructor.");
            state[node] = false;
            stack.Push((node, true));
            foreach (var i in node.Inputs.Reverse()) if (!state.ContainsKey(i)) stack.Push((i, false));
        }
        return order;
    }

    /// <summary>The (first) output's shape; throws <see cref="LayerShapeException"/> unless each input shape is the graph input's.</summary>
    protected override int[] ComputeOutputShape(int[][] inputShapes)
    {
        for (int i = 0; i < _inputs.Length; i++)
            if (!inputShapes[i].SequenceEqual(_inputs[i].Shape))
                throw LayerShapeException.For(this, $"input of shape {ShapeText.WithBatch(_inputs[i].Shape)}", inputShapes[i]);
        return _outputs[0].Shape;
    }

    /// <summary>Makes sure the graph exists (a Sequential without a declared input shape builds it from the data).</summary>
    internal virtual void EnsureGraph(int[] inputShape) { }

    /// <summary>
    /// The BatchNormalization nodes whose output goes to one ReLU activation and nowhere else (not a model output either),
    /// each with that ReLU's node: Forward runs the pair as one fused op (a ResNet's or a detector backbone's
    /// conv–BN–ReLU), which gives the same values and gradients without the normalised tensor between them.
    /// </summary>
    private static Dictionary<SymbolicTensor, SymbolicTensor> FusableReluPairs(List<SymbolicTensor> nodes, SymbolicTensor[] outputs)
    {
        var consumers = new Dictionary<SymbolicTensor, List<SymbolicTensor>>(ReferenceEqualityComparer.Instance);
        foreach (var node in nodes)
            foreach (var input in node.Inputs)
            {
                if (!consumers.TryGetValue(input, out var list)) consumers[input] = list = [];
                list.Add(node);
            }
        var pairs = new Dictionary<SymbolicTensor, SymbolicTensor>(ReferenceEqualityComparer.Instance);
        foreach (var node in nodes)
            if (node.Layer is BatchNormalization && !outputs.Contains(node, ReferenceEqualityComparer.Instance)
                && consumers.TryGetValue(node, out var next) && next.Count == 1
                && next[0].Layer is ActivationLayer { Activation: Activation.ReLU } && next[0].Inputs.Length == 1)
                pairs[node] = next[0];
        return pairs;
    }

    /// <summary>Runs the graph on one input batch.</summary>
    public Tensor Forward(Tensor input, bool training = false) => Forward([input], training);

    /// <summary>
    /// Runs the graph on one batch per input, in topological order, and returns the first output. Throws
    /// <see cref="ArgumentException"/> for the wrong number of inputs and <see cref="LayerShapeException"/> for an input of the wrong shape.
    /// </summary>
    public override Tensor Forward(IReadOnlyList<Tensor> inputs, bool training)
    {
        if (inputs.Count != _inputs.Length)
            throw new ArgumentException($"Model '{Name}' takes {_inputs.Length} input(s), but was given {inputs.Count}.");
        var values = new Dictionary<SymbolicTensor, Tensor>(ReferenceEqualityComparer.Instance);
        for (int i = 0; i < inputs.Count; i++)
        {
            var expected = _inputs[i].Shape;
            if (inputs[i].Rank != expected.Length + 1 || !inputs[i].Shape[1..].SequenceEqual(expected))
                throw LayerShapeException.For(_inputs[i].Layer, $"input of shape {ShapeText.WithBatch(expected)}", inputs[i].ShapeArray[1..]);
            values[_inputs[i]] = inputs[i];
        }
        foreach (var node in _nodes)
        {
            if (values.ContainsKey(node)) continue;
            var args = node.Inputs.Select(i => values[i]).ToArray();
            long start = Autograd.OpProfiler.Start();
            Tensor output;
            if (_reluAfterBatchNorm.TryGetValue(node, out var relu))
                values[relu] = output = ((BatchNormalization)node.Layer).ForwardThenRelu(args, training);   // the ReLU's node is then skipped
            else
                values[node] = output = node.Layer.Forward(args, training);
            Autograd.OpProfiler.StopForward(node.Layer, output, start);
        }
        return values[_outputs[0]];
    }

    /// <summary>
    /// This model followed by a softmax over the last axis, sharing its weights: the logits-friendly way to build a
    /// classifier, as in Keras — end with a linear Dense, train with a loss that has <c>FromLogits = true</c>, and predict
    /// probabilities with <c>model.WithSoftmax().Predict(x)</c>.
    /// </summary>
    public Model WithSoftmax()
    {
        if (_inputs.Length != 1) throw new InvalidOperationException($"WithSoftmax needs a model with one input; '{Name}' has {_inputs.Length}.");
        var input = Input.Of(InputShape);
        return new Model(input, new ActivationLayer(Activation.Softmax).Call(Call(input)), $"{Name}_softmax");
    }

    /// <summary>
    /// A model from this one's inputs to the output of the layer named <paramref name="layerName"/>, sharing its weights:
    /// Keras's <c>Model(model.inputs, model.get_layer(name).output)</c>, to look at what a layer computes (activation
    /// maps). An unknown name is an <see cref="ArgumentException"/> listing the layers.
    /// </summary>
    public Model UpTo(string layerName)
    {
        var node = _nodes.FirstOrDefault(n => n.Layer.Name == layerName && n.Layer is not InputLayer)
            ?? throw new ArgumentException($"Model '{Name}' has no layer '{Excerpt.Of(layerName)}'; its layers are {string.Join(", ", _layers.Where(l => l is not InputLayer).Select(l => l.Name))}.", nameof(layerName));
        return new Model([.. _inputs], [node], $"{Name}_to_{layerName}");
    }

    /// <summary>The Keras summary table: each layer's output shape and parameter count, and the totals.</summary>
    public string SummaryText() => ModelSummary.Render(this);

    /// <summary>Prints <see cref="SummaryText"/> to the console (or to <paramref name="writer"/>).</summary>
    public void Summary(TextWriter? writer = null) => (writer ?? Console.Out).Write(SummaryText());

    /// <summary>Saves architecture, weights, optimizer state and epochs done to one file (atomically).</summary>
    public void Save(string path) => Serialization.ModelArchive.Save(this, path);

    /// <summary>
    /// Loads a model saved by <see cref="Save"/> onto <paramref name="device"/> (default: <see cref="Device.Default"/>); compiled
    /// again if it was compiled. Corrupt files raise <see cref="InvalidDataException"/> naming the file.
    /// </summary>
    public static Model Load(string path, Device? device = null) => Serialization.ModelArchive.Load(path, device);

    /// <summary>{class_name, config}: name, seed and each layer's config, plus the nodes, inputs and outputs of the graph (a Sequential: its stack and input shape).</summary>
    public override JsonObject GetConfig() => Serialization.ModelConfig.Write(this);
}
