using Trilobite.Layers;

namespace Trilobite;

/// <summary>
/// A plain stack of layers, each feeding the next. The graph is built as soon as the input shape is
/// known: from the first layer's <c>inputShape</c>, or from <see cref="Build(int[])"/>.
/// <code>
/// var model = new Sequential(
///     new Conv2D(32, kernelSize: 3, activation: Activation.ReLU, inputShape: [28, 28, 1]),
///     new MaxPooling2D(2), new Flatten(), new Dense(10, activation: Activation.Softmax));
/// </code>
/// </summary>
public sealed class Sequential : Model
{
    private readonly List<Layer> _stack = [];
    private SymbolicTensor? _input, _output;

    /// <summary>A stack of <paramref name="layers"/>, unnamed.</summary>
    public Sequential(params Layer[] layers) : this(layers, null) { }

    /// <summary>
    /// A stack of <paramref name="layers"/>; the graph is built at once when the first layer declares an input shape. Throws
    /// <see cref="ArgumentException"/> for an <see cref="InputLayer"/> among them.
    /// </summary>
    public Sequential(IEnumerable<Layer> layers, string? name) : base(name)
    {
        foreach (var layer in layers) Push(layer);
        // One build for the whole stack: adding the layers one by one would rebuild the graph after each (quadratic in depth).
        if (_stack.Count > 0 && _stack[0].DeclaredInputShape is { } shape) Build(shape);
    }

    /// <inheritdoc/>
    public override string TypeName => "Sequential";

    /// <inheritdoc/>
    public override string NamePrefix => "sequential";

    /// <summary>The layers as stacked (without the implicit input layer).</summary>
    public IReadOnlyList<Layer> Stack => _stack;

    /// <summary>Freezes or unfreezes every stacked layer, also before the graph is built (no input shape yet).</summary>
    public override bool Trainable
    {
        get => base.Trainable;
        set
        {
            base.Trainable = value;
            foreach (var layer in _stack) layer.Trainable = value;
        }
    }

    /// <summary>Appends a layer on top of the stack.</summary>
    public void Add(Layer layer)
    {
        Push(layer);
        if (_output != null)
        {
            _output = layer.Call(_output);
            SetGraph([_input!], [_output]);
        }
        else if (_stack.Count == 1 && layer.DeclaredInputShape != null) Build(layer.DeclaredInputShape);
    }

    private void Push(Layer layer)
    {
        ArgumentNullException.ThrowIfNull(layer);
        if (layer is InputLayer) throw new ArgumentException("Give the first layer an inputShape instead of adding an InputLayer to a Sequential.");
        _stack.Add(layer);
    }

    /// <summary>Builds the graph for this input shape (without the batch axis) when no layer declared one.</summary>
    public void Build(int[] inputShape)
    {
        if (_output != null) return;
        if (_stack.Count == 0) throw new InvalidOperationException($"Model '{Name}' has no layers.");
        _input = Input.Of(inputShape);
        var x = _input;
        foreach (var layer in _stack) x = layer.Call(x);
        _output = x;
        SetGraph([_input], [_output]);
    }

    internal override void EnsureGraph(int[] inputShape) => Build(inputShape);
}
