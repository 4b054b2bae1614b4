namespace Trilobite.Layers;

/// <summary>The entry point of a functional model: it only declares a shape.</summary>
public sealed class InputLayer : Layer
{
    /// <summary>The base constructor refuses shapes without positive dimensions.</summary>
    public InputLayer(int[] shape, string? name = null) : base(name, shape) => Build();

    /// <summary>0: an input layer is fed by the model, not by another layer.</summary>
    public override int InputCount => 0;

    /// <inheritdoc/>
    public override string NamePrefix => "input";

    /// <summary>The declared shape.</summary>
    protected override int[] ComputeOutputShape(int[][] inputShapes) => (int[])DeclaredInputShape!.Clone();

    /// <summary>The batch fed to the model, unchanged.</summary>
    public override Tensor Forward(IReadOnlyList<Tensor> inputs, bool training) => inputs[0];

    /// <summary>The symbolic tensor that feeds the model.</summary>
    internal SymbolicTensor Output => _output ??= new SymbolicTensor(OutputShape, this, []);

    private SymbolicTensor? _output;
}

/// <summary>Starts a functional model: <c>var input = Input.Of([32, 32, 3]);</c></summary>
public static class Input
{
    /// <summary>A new model input of <paramref name="shape"/> (without the batch axis), as Keras's <c>keras.Input</c>; throws <see cref="ArgumentException"/> unless every dimension is positive.</summary>
    public static SymbolicTensor Of(int[] shape, string? name = null) => new InputLayer(shape, name).Output;
}
