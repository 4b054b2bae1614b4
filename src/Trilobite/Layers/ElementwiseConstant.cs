using System.Text.Json.Nodes;
using Trilobite.Autograd.Ops;
using Trilobite.Initializers;
using Trilobite.Serialization;

namespace Trilobite.Layers;

/// <summary>
/// x ∘ c (or c ∘ x) for ∘ in {+, −, ×, ÷} and a fixed constant c that broadcasts over the input (NumPy rules, batch axis
/// excluded): a scalar, one value per channel, or a whole image. This is what imported graphs do around a network — ResNet's
/// preprocessing subtracts a mean image, others scale by 1/255 — and what Keras writes as a Lambda. The constant is a
/// non-trainable weight, so it is saved with the model. <code>new ElementwiseConstant(BinaryOperator.Subtract, [103.9f, 116.8f, 123.7f], [3])</code>
/// </summary>
public sealed class ElementwiseConstant : SingleInputLayer
{
    private readonly float[]? _initial;
    private Weight? _constant;

    /// <summary>
    /// The constant's values (row-major) and shape (without a batch axis; empty for a scalar). Throws <see cref="ArgumentException"/>
    /// when the values do not fill the shape.
    /// </summary>
    public ElementwiseConstant(BinaryOperator op, float[] constant, int[] constantShape, bool constantFirst = false, int[]? inputShape = null, string? name = null)
        : this(op, constantShape, constantFirst, inputShape, name)
    {
        ArgumentNullException.ThrowIfNull(constant);
        if (constant.Length != ConstantShape.Aggregate(1L, (a, b) => a * b))
            throw new ArgumentException($"ElementwiseConstant: {constant.Length} values do not fill the constant's shape {ShapeText.Of(constantShape)}.", nameof(constant));
        _initial = constant;
    }

    private ElementwiseConstant(BinaryOperator op, int[] constantShape, bool constantFirst, int[]? inputShape, string? name) : base(name, inputShape)
    {
        ArgumentNullException.ThrowIfNull(constantShape);
        if (constantShape.Any(d => d < 1)) throw new ArgumentException($"ElementwiseConstant: the constant's shape {ShapeText.Of(constantShape)} has an axis below 1.", nameof(constantShape));
        Operator = op;
        ConstantShape = (int[])constantShape.Clone();
        ConstantFirst = constantFirst;
    }

    /// <summary>The operator: Add, Subtract, Multiply or Divide.</summary>
    public BinaryOperator Operator { get; }

    /// <summary>True: c ∘ x (c − x, c / x); false: x ∘ c.</summary>
    public bool ConstantFirst { get; }

    /// <summary>The constant's shape without a batch axis (empty for a scalar).</summary>
    public int[] ConstantShape { get; }

    /// <summary>The input's shape, checked to take the constant without growing (the output has the input's shape).</summary>
    protected override int[] ComputeOutputShape(int[] s)
    {
        bool fits = ConstantShape.Length <= s.Length && ConstantShape.Reverse().Zip(s.Reverse()).All(p => p.First == 1 || p.First == p.Second);
        if (!fits) throw LayerShapeException.For(this, $"an input the constant of shape {ShapeText.Of(ConstantShape)} broadcasts over", s);
        return s;
    }

    /// <summary>The constant, not trainable; a layer read from a file gets its values from the file's weights.</summary>
    protected override void OnBuild(int[] s) =>
        _constant = AddWeight("constant", ConstantShape, _initial is { } v ? Initializer.Values(v) : Initializer.Zeros, trainable: false);

    /// <inheritdoc/>
    protected override Tensor Forward(Tensor x, bool training)
    {
        var c = _constant!.Value;
        return ConstantFirst ? BinaryOp.Apply(Operator, c, x) : BinaryOp.Apply(Operator, x, c);
    }

    /// <inheritdoc/>
    public override JsonObject GetConfig()
    {
        var c = base.GetConfig();
        c["operator"] = Operator.ToString().ToLowerInvariant();
        c["constant_first"] = ConstantFirst;
        c["constant_shape"] = Json.Array(ConstantShape);
        return c;
    }

    internal static ElementwiseConstant FromConfig(JsonObject c)
    {
        string op = Json.String(c, "operator");
        if (!Enum.TryParse<BinaryOperator>(op, ignoreCase: true, out var parsed) || int.TryParse(op, out _))
            throw new InvalidDataException($"ElementwiseConstant: unknown operator '{Excerpt.Of(op)}'; expected add, subtract, multiply or divide.");
        return new(parsed, Json.IntArray(c, "constant_shape"), Json.Bool(c, "constant_first", false), Json.OptionalIntArray(c, "input_shape"), Json.OptionalString(c, "name"));
    }
}
